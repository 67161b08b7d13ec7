using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    public class FleetLookupTests
    {
        [Fact]
        public void Every_card_of_a_thousand_is_found_by_host_port_and_protocol()
        {
            using var fleet = InstantFleet(1000);
            var cards = fleet.Cards;
            for (int i = 0; i < cards.Count; i++)
            {
                var card = cards[i];
                card.SshPort = 20000 + i % 7; // ports shared by many cards, as one shared SSH port is
                card.FtpPort = 21000 + i;
            }
            foreach (var card in cards)
            {
                Assert.Same(card, fleet.Find(card.Host, card.SshPort, CardProtocol.Ssh));
                Assert.Same(card, fleet.Find(card.Host.ToUpperInvariant(), card.SshPort, CardProtocol.Ssh));
                Assert.Same(card, fleet.Find(card.Host, card.FtpPort, CardProtocol.Ftp));
                Assert.Null(fleet.Find(card.Host, card.FtpPort, CardProtocol.Ssh)); // the FTP port does not answer SSH
                Assert.Null(fleet.Find(card.Host, card.SshPort + 100, CardProtocol.Ssh));
            }
            Assert.Null(fleet.Find("127.0.250.1", 20000, CardProtocol.Ssh));
            Assert.Null(fleet.Find("", 20000, CardProtocol.Ssh));
            Assert.Null(fleet.Find(null!, 20000, CardProtocol.Ssh));
        }

        [Fact]
        public void A_card_moved_to_another_port_or_address_is_found_there_and_not_where_it_was()
        {
            using var fleet = InstantFleet(3);
            var card = fleet.Cards[1];
            var oldHost = card.Host;
            card.SshPort = 2222;
            Assert.Null(fleet.Find(oldHost, 22, CardProtocol.Ssh));
            Assert.Same(card, fleet.Find(oldHost, 2222, CardProtocol.Ssh));
            card.Host = "127.0.9.9";
            Assert.Null(fleet.Find(oldHost, 2222, CardProtocol.Ssh));
            Assert.Null(fleet.Find(oldHost, 21, CardProtocol.Ftp));
            Assert.Same(card, fleet.Find("127.0.9.9", 2222, CardProtocol.Ssh));
            Assert.Same(card, fleet.Find("127.0.9.9", 21, CardProtocol.Ftp));
        }

        [Fact]
        public void Cards_sharing_an_endpoint_answer_in_the_order_they_were_added()
        {
            using var fleet = InstantFleet(2);
            var first = fleet.Cards[0];
            var second = fleet.Cards[1];
            var third = new SimulatedCard("third", new CardProfile(), fleet.Clock) { Host = "127.0.5.5" };
            fleet.Add(third);
            second.Host = "127.0.5.5";
            Assert.Same(second, fleet.Find("127.0.5.5", 22, CardProtocol.Ssh)); // added before the third
            first.Host = "127.0.5.5";
            Assert.Same(first, fleet.Find("127.0.5.5", 22, CardProtocol.Ssh));
            first.Host = "127.0.6.6";
            second.SshPort = 23;
            Assert.Same(third, fleet.Find("127.0.5.5", 22, CardProtocol.Ssh));
            Assert.Same(second, fleet.Find("127.0.5.5", 23, CardProtocol.Ssh));
        }
    }
}
