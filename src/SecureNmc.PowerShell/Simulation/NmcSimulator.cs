using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Hosting;

namespace SecureNmc.PowerShell.Simulation
{
    /// <summary>
    /// A running simulated fleet in this PowerShell session: what Stop-NmcSimulator stops. Every card
    /// object of the fleet carries it in its Simulator property. <see cref="Fleet"/> gives the live
    /// cards (faults, timing, FTP switch) for rehearsals that change a card while it runs.
    /// </summary>
    public sealed class NmcSimulator
    {
        private readonly SimulatorFleetHost _host;
        private readonly object _sync = new object();

        internal NmcSimulator(int id, SimulatorFleetHost host)
        {
            Id = id;
            _host = host;
            StartedAt = DateTimeOffset.Now;
        }

        /// <summary>Numbered from 1 within the session.</summary>
        public int Id { get; }

        public DateTimeOffset StartedAt { get; }

        public bool IsRunning { get; private set; } = true;

        public int CardCount => _host.Fleet.Cards.Count;

        public double TimeScale => _host.Fleet.Clock.TimeScale;

        /// <summary>The simulated cards themselves (live: faults, timing, state, event log).</summary>
        public SimulatedFleet Fleet => _host.Fleet;

        /// <summary>The loopback endpoints, e.g. "127.0.1.1-127.0.1.5 SSH port 40122".</summary>
        public string Endpoints
        {
            get
            {
                var cards = _host.Fleet.Cards;
                if (cards.Count == 0) return "";
                var ports = string.Join(", ", cards.Select(c => c.SshPort).Distinct().Take(3));
                return cards.Count == 1 ? $"{cards[0].Host} SSH port {ports}" : $"{cards[0].Host}-{cards[cards.Count - 1].Host} SSH port {ports}";
            }
        }

        internal IReadOnlyList<NmcSimulatedCard> Cards { get; set; } = new NmcSimulatedCard[0];

        /// <summary>Stops every card's servers and the fleet; safe to call twice.</summary>
        internal bool Stop()
        {
            lock (_sync)
            {
                if (!IsRunning) return false;
                IsRunning = false;
            }
            _host.Dispose();
            _host.Fleet.Dispose();
            return true;
        }

        public override string ToString() => $"Simulator {Id} ({CardCount} cards, {(IsRunning ? "running" : "stopped")})";
    }
}
