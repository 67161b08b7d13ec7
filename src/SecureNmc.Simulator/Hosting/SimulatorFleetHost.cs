using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
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

        /// <summary>SSH port for every card; 0 = one free port chosen once and shared by all cards (distinct addresses) or a free port each.</summary>
        public int SshPort { get; set; }

        /// <summary>FTP port for cards with FTP enabled; 0 = a free port.</summary>
        public int FtpPort { get; set; }

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
                foreach (var card in fleet.Cards)
                {
                    if (!options.DistinctAddresses) card.Host = "127.0.0.1";
                    card.SshPort = options.DistinctAddresses ? sharedPort : options.SshPort;
                    card.FtpPort = options.FtpPort;
                    var cardHost = new CardHost(card, options.Logger);
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

        public CardHost? HostOf(string address, int sshPort) =>
            _hosts.FirstOrDefault(h => h.Card.Host == address && h.Card.SshPort == sshPort);

        public void Dispose()
        {
            foreach (var h in _hosts) h.Dispose();
            _hosts.Clear();
        }
    }
}
