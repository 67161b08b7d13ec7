using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Hosting;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>
    /// Simulated cards listen only where a real NMC3 can (22/21 or 5000-32768), so Add-NmcDevice has
    /// nothing to warn about; a taken port is retried with another candidate, and a taken port the user
    /// asked for is an error naming it.
    /// </summary>
    public sealed class CardPortChooserTests
    {
        private const string Loopback = "127.0.0.1";

        /// <summary>A bare listener standing in for a card's SSH or FTP server.</summary>
        private sealed class Listener : IDisposable
        {
            public Listener(int port) => Inner = new TcpListener(IPAddress.Loopback, port);
            public TcpListener Inner { get; }
            public int Port => ((IPEndPoint)Inner.LocalEndpoint).Port;
            public void Start() => Inner.Start();
            public void Dispose() => Inner.Stop();
        }

        /// <summary>A port in the card range that something else holds for the test's lifetime.</summary>
        private static Listener OccupyPortInCardRange()
        {
            var any = CardPortChooser.Random.BindAny("test", Loopback, p => new Listener(p), l => l.Start());
            Assert.InRange(any.Port, CardPortChooser.Minimum, CardPortChooser.Maximum);
            return any;
        }

        private static CardPortChooser Scripted(params int[] candidates)
        {
            var queue = new Queue<int>(candidates);
            return new CardPortChooser(() => queue.Count > 1 ? queue.Dequeue() : queue.Peek());
        }

        [Fact]
        public void Random_free_ports_are_inside_the_range_a_card_can_use()
        {
            var listeners = new List<Listener>();
            try
            {
                for (int i = 0; i < 20; i++)
                    listeners.Add(CardPortChooser.Random.BindAny("SSH", Loopback, p => new Listener(p), l => l.Start()));
                Assert.All(listeners, l => Assert.InRange(l.Port, DevicePort.CardConfigurableMinimum, DevicePort.CardConfigurableMaximum));
                Assert.All(listeners, l => Assert.Null(DevicePort.UnusualPortWarning(l.Port, TransferProtocol.Scp)));
                Assert.Equal(20, listeners.Select(l => l.Port).Distinct().Count());
            }
            finally { listeners.ForEach(l => l.Dispose()); }
        }

        [Fact]
        public void A_taken_candidate_is_skipped_for_the_next_one()
        {
            using var taken = OccupyPortInCardRange();
            int free = FreeCardRangePortOtherThan(taken.Port);
            var tried = new List<int>();
            var chooser = Scripted(taken.Port, free);
            using var bound = chooser.BindAny("SSH", Loopback, p => { tried.Add(p); return new Listener(p); }, l => l.Start());
            Assert.Equal(free, bound.Port);
            Assert.Equal(new[] { taken.Port, free }, tried);
        }

        [Fact]
        public void A_taken_port_that_was_asked_for_is_an_error_naming_it_not_a_silent_move()
        {
            using var taken = OccupyPortInCardRange();
            var tried = new List<int>();
            var ex = Assert.Throws<SimulatorPortInUseException>(() =>
                CardPortChooser.Random.BindExactly(taken.Port, "SSH", Loopback, p => { tried.Add(p); return new Listener(p); }, l => l.Start()));
            Assert.Equal(taken.Port, ex.Port);
            Assert.Equal("SSH", ex.Service);
            Assert.Contains($"SSH port {taken.Port} on {Loopback} is already in use", ex.Message);
            Assert.Equal(new[] { taken.Port }, tried);
        }

        [Fact]
        public void A_taken_preferred_port_gives_way_to_a_free_one_in_the_range()
        {
            using var taken = OccupyPortInCardRange();
            using var bound = CardPortChooser.Random.BindPreferring(taken.Port, 2, TimeSpan.FromMilliseconds(10), "SSH", Loopback, p => new Listener(p), l => l.Start());
            Assert.NotEqual(taken.Port, bound.Port);
            Assert.InRange(bound.Port, CardPortChooser.Minimum, CardPortChooser.Maximum);
        }

        [Fact]
        public void No_free_port_after_every_try_is_a_clear_error()
        {
            using var taken = OccupyPortInCardRange();
            var attempts = 0;
            var ex = Assert.Throws<SimulatorPortInUseException>(() =>
                Scripted(taken.Port).BindAny("FTP", Loopback, p => { attempts++; return new Listener(p); }, l => l.Start()));
            Assert.Equal(CardPortChooser.MaxAttempts, attempts);
            Assert.Contains($"No free FTP port in 5000-32768 on {Loopback}", ex.Message);
        }

        [Fact]
        public void A_candidate_outside_the_range_is_refused()
        {
            Assert.Throws<InvalidOperationException>(() => Scripted(40000).BindAny("SSH", Loopback, p => new Listener(p), l => l.Start()));
        }

        [Fact]
        public void A_hosted_fleet_listens_only_on_ports_a_card_can_use_for_ssh_and_ftp()
        {
            using var fleet = InstantFleet(6);
            foreach (var card in fleet.Cards) card.FtpEnabled = true;
            using var host = SimulatorFleetHost.Start(fleet);
            foreach (var card in fleet.Cards)
            {
                Assert.InRange(card.SshPort, CardPortChooser.Minimum, CardPortChooser.Maximum);
                Assert.InRange(card.FtpPort, CardPortChooser.Minimum, CardPortChooser.Maximum);
            }
            Assert.All(host.Devices(TransferProtocol.Scp).Concat(host.Devices(TransferProtocol.Ftp)),
                       d => Assert.Null(DevicePort.UnusualPortWarning(d.Port, d.Protocol)));
        }

        [Fact]
        public void Two_fleets_at_once_get_different_free_ports_in_the_range()
        {
            using var first = InstantFleet(3);
            using var second = InstantFleet(3);
            using var firstHost = SimulatorFleetHost.Start(first);
            using var secondHost = SimulatorFleetHost.Start(second);
            // Same loopback addresses (127.0.1.1-3), so the second fleet had to find other ports.
            Assert.Empty(first.Cards.Select(c => c.Host + ":" + c.SshPort).Intersect(second.Cards.Select(c => c.Host + ":" + c.SshPort)));
            Assert.All(first.Cards.Concat(second.Cards), c => Assert.InRange(c.SshPort, CardPortChooser.Minimum, CardPortChooser.Maximum));
        }

        [Fact]
        public void A_fleet_asked_for_a_taken_ssh_port_fails_naming_the_port()
        {
            using var first = new SimulatorFleetSpec { Count = 1, TimeScale = 0 }.Start();
            int port = first.Fleet.Cards[0].SshPort;
            var ex = Assert.Throws<SimulatorPortInUseException>(() => new SimulatorFleetSpec { Count = 2, TimeScale = 0, SshPort = port }.Start());
            Assert.Equal(port, ex.Port);
            Assert.Contains($"SSH port {port} on {SimulatedFleet.LoopbackAddress(0)}", ex.Message);
        }

        [Fact]
        public void Cards_sharing_one_address_get_consecutive_ports_from_a_fixed_one()
        {
            // macOS: every card on 127.0.0.1. A fixed port cannot be shared there, so it is the first of a run.
            for (int attempt = 0; ; attempt++)
            {
                int first = FreeCardRangePortOtherThan(0);
                if (first > CardPortChooser.Maximum - 2) continue;
                using var fleet = InstantFleet(3);
                try
                {
                    using var host = SimulatorFleetHost.Start(fleet, new SimulatorHostOptions { DistinctAddresses = false, SshPort = first });
                    Assert.Equal(new[] { first, first + 1, first + 2 }, fleet.Cards.Select(c => c.SshPort));
                    Assert.All(fleet.Cards, c => Assert.Equal("127.0.0.1", c.Host));
                    return;
                }
                catch (SimulatorPortInUseException) when (attempt < 5) { } // a neighbour port was taken meanwhile: another run
            }
        }

        [Theory]
        [InlineData(2222)]
        [InlineData(4999)]
        [InlineData(32769)]
        [InlineData(65535)]
        public void A_fleet_spec_refuses_an_ssh_port_no_card_can_use(int port)
        {
            var problems = new SimulatorFleetSpec { SshPort = port }.Validate();
            Assert.Contains(problems, p => p.Contains($"SshPort {port}") && p.Contains("22 or a port from 5000 to 32768"));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(22)]
        [InlineData(5000)]
        [InlineData(32768)]
        public void A_fleet_spec_accepts_the_ports_a_card_can_use(int port) => Assert.Empty(new SimulatorFleetSpec { SshPort = port }.Validate());

        /// <summary>A port free a moment ago (never <paramref name="port"/>, which is held).</summary>
        private static int FreeCardRangePortOtherThan(int port)
        {
            using var probe = CardPortChooser.Random.BindAny("test", Loopback, p => new Listener(p), l => l.Start());
            Assert.NotEqual(port, probe.Port);
            return probe.Port;
        }
    }
}
