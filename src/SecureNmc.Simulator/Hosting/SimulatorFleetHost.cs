using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Fleet;

namespace SecureNmc.Simulator.Hosting
{
    public sealed class SimulatorHostOptions
    {
        /// <summary>
        /// Give each card its own loopback address (127.0.x.y). Default: on where the OS routes all of
        /// 127.0.0.0/8 to loopback (Linux, Windows); off on macOS, where cards share 127.0.0.1 on distinct ports.
        /// </summary>
        public bool DistinctAddresses { get; set; } = !RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>
        /// SSH port for every card; a taken port is an error (<see cref="SimulatorPortInUseException"/>).
        /// 0 = a free port in 5000-32768 (the ports a card can use), chosen by the first card and shared by
        /// the others where it is free on their address (distinct addresses), or a free port each. Without
        /// distinct addresses a fixed port is the first of consecutive ports, one per card.
        /// </summary>
        public int SshPort { get; set; }

        /// <summary>FTP port for cards with FTP enabled, an error when taken; 0 = a free port in 5000-32768.</summary>
        public int FtpPort { get; set; }

        /// <summary>Where free ports come from; null = random ports in 5000-32768.</summary>
        public CardPortChooser? Ports { get; set; }

        public ILogger? Logger { get; set; }
    }

    /// <summary>Serves every card of a <see cref="SimulatedFleet"/> over real SSH/SCP (and FTP where enabled) on loopback.</summary>
    public sealed class SimulatorFleetHost : IDisposable
    {
        private readonly List<CardHost> _hosts = new List<CardHost>();

        private SimulatorFleetHost(SimulatedFleet fleet) => Fleet = fleet;

        public SimulatedFleet Fleet { get; }
        public IReadOnlyList<CardHost> Hosts => _hosts;

        public static SimulatorFleetHost Start(SimulatedFleet fleet, SimulatorHostOptions? options = null)
        {
            if (fleet == null) throw new ArgumentNullException(nameof(fleet));
            options ??= new SimulatorHostOptions();
            var host = new SimulatorFleetHost(fleet);
            try
            {
                int sharedPort = options.SshPort;
                int index = 0;
                foreach (var card in fleet.Cards)
                {
                    if (!options.DistinctAddresses) card.Host = "127.0.0.1";
                    // Cards sharing 127.0.0.1 cannot share a port: a fixed port is the first of consecutive ones.
                    card.SshPort = options.DistinctAddresses ? sharedPort : Consecutive(options.SshPort, index);
                    card.FtpPort = options.DistinctAddresses ? options.FtpPort : Consecutive(options.FtpPort, index);
                    index++;
                    var cardHost = new CardHost(card, options.Logger, options.Ports)
                    {
                        SshPortRequired = options.SshPort != 0,
                        FtpPortRequired = options.FtpPort != 0,
                    };
                    cardHost.Start();
                    host._hosts.Add(cardHost);
                    if (options.DistinctAddresses && sharedPort == 0) sharedPort = card.SshPort; // the others try the same port
                }
            }
            catch
            {
                host.Dispose();
                throw;
            }
            return host;
        }

        private static int Consecutive(int firstPort, int index) => firstPort == 0 ? 0 : firstPort + index;

        /// <summary>
        /// One inventory record per hosted card (host, port, protocol, name), ready for the module's
        /// Add-NmcDevice; FTP records only for cards with FTP enabled. Credentials are not included:
        /// use <see cref="SimulatedFleet.Credential"/>.
        /// </summary>
        public IReadOnlyList<NmcDevice> Devices(TransferProtocol protocol = TransferProtocol.Scp) =>
            _hosts.Where(h => protocol == TransferProtocol.Scp || h.Card.FtpEnabled)
                  .Select(h => new NmcDevice
                  {
                      Host = h.Card.Host,
                      Port = protocol == TransferProtocol.Ftp ? h.Card.FtpPort : h.Card.SshPort,
                      Protocol = protocol,
                      Name = h.Card.Name,
                  }).ToList();

        public CardHost? HostOf(string address, int sshPort) =>
            _hosts.FirstOrDefault(h => h.Card.Host == address && h.Card.SshPort == sshPort);

        public void Dispose()
        {
            foreach (var h in _hosts) h.Dispose();
            _hosts.Clear();
        }
    }
}
