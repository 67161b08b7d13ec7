using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Hosting;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>What Start-NmcSimulator's parameters turn into: checked requests and a hosted fleet built to order.</summary>
    public sealed class SimulatorFleetSpecTests
    {
        [Fact]
        public void Every_bad_request_is_named()
        {
            var spec = new SimulatorFleetSpec
            {
                Count = 3,
                TimeScale = -1,
                Nmc2Count = 4,
                Faults = new Dictionary<int, IList<string>>
                {
                    [4] = new List<string> { "RefuseConnections" },
                    [1] = new List<string> { "Explode" },
                    [2] = new List<string> { "AnswerSlowly=5" },
                    [3] = new List<string> { "DropUploadAfterBytes=lots" },
                },
            };
            var problems = spec.Validate();
            Assert.Contains(problems, p => p.Contains("TimeScale"));
            Assert.Contains(problems, p => p.Contains("Nmc2Count"));
            Assert.Contains(problems, p => p.Contains("card 4") && p.Contains("1 to 3"));
            Assert.Contains(problems, p => p.Contains("'Explode' is not a fault") && p.Contains("PresentDifferentHostKey"));
            Assert.Contains(problems, p => p.Contains("only DropUploadAfterBytes and StallUploadAfterBytes take a value"));
            Assert.Contains(problems, p => p.Contains("whole number of bytes"));
            var ex = Assert.Throws<ArgumentException>(() => spec.Start());
            Assert.Contains("TimeScale", ex.Message);
        }

        [Fact]
        public void The_fleet_has_the_requested_types_ftp_nmc2_cards_and_faults()
        {
            var spec = new SimulatorFleetSpec
            {
                Count = 5,
                TimeScale = 0,
                EnableFtp = true,
                Nmc2Count = 1,
                ApplicationTypes = new List<ApplicationType> { ApplicationType.RPDU2G, ApplicationType.SU },
                Faults = new Dictionary<int, IList<string>>
                {
                    [2] = new List<string> { "refuseconnections", "DropUploadAfterBytes=1000" },
                    [3] = new List<string> { "PresentDifferentHostKey" },
                },
            };
            Assert.Empty(spec.Validate());
            using var host = spec.Start();
            var cards = host.Fleet.Cards;
            Assert.Equal(5, cards.Count);
            Assert.Equal(new[] { ApplicationType.RPDU2G, ApplicationType.SU, ApplicationType.RPDU2G, ApplicationType.SU },
                         cards.Take(4).Select(c => c.Profile.ApplicationType));
            Assert.Equal(NmcGeneration.Nmc2, cards[4].Profile.Generation);
            Assert.All(cards, c => Assert.True(c.FtpEnabled));
            Assert.True(cards[1].Faults.RefuseConnections);
            Assert.Equal(1000, cards[1].Faults.DropUploadAfterBytes);
            Assert.True(cards[2].Faults.PresentDifferentHostKey);
            Assert.False(cards[0].Faults.RefuseConnections);
            Assert.Equal(5, host.Devices(SecureNmc.Core.Transport.TransferProtocol.Ftp).Count);
            Assert.All(cards, c => Assert.True(c.SshPort > 0));
        }
    }
}
