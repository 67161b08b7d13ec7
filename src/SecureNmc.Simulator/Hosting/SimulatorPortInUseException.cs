using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>A simulated card could not listen: the port asked for is taken, or no free port was found.</summary>
    public sealed class SimulatorPortInUseException : IOException
    {
        /// <summary>The port asked for explicitly is taken.</summary>
        public SimulatorPortInUseException(string service, string address, int port, SocketException inner)
            : base($"{service} port {port.ToString(CultureInfo.InvariantCulture)} on {address} is already in use ({inner.Message}).", inner)
        {
            Service = service;
            Address = address;
            Port = port;
        }

        /// <summary>No free port was found.</summary>
        public SimulatorPortInUseException(string service, string address, string message, SocketException? inner)
            : base(message, inner)
        {
            Service = service;
            Address = address;
        }

        /// <summary>"SSH" or "FTP".</summary>
        public string Service { get; }

        public string Address { get; }

        /// <summary>The port asked for; 0 when any free port was wanted.</summary>
        public int Port { get; }
    }
}
