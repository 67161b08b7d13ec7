using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Fleet
{
    /// <summary>
    /// A set of simulated cards sharing one clock, each with its own address. Addresses are
    /// 127.0.x.y (x = 1.., y = 1..250), distinct per card; ports are 22/21 unless a server assigns others.
    /// </summary>
    public sealed class SimulatedFleet : IDisposable
    {
        private readonly List<SimulatedCard> _cards = new List<SimulatedCard>();
        private readonly object _sync = new object();
        private readonly CardEndpointIndex _index = new CardEndpointIndex();

        public SimulatedFleet(SimulatorClock? clock = null)
        {
            Clock = clock ?? new SimulatorClock(1.0);
        }

        public SimulatorClock Clock { get; }

        public IReadOnlyList<SimulatedCard> Cards { get { lock (_sync) return _cards.ToList(); } }

        /// <summary>The administrator every default card has (see <see cref="SimulatedCard.DefaultUsers"/>).</summary>
        public static NetworkCredential AdministratorCredential => Credential(CardUserKind.Administrator);

        /// <summary>The default credential of the given user kind.</summary>
        public static NetworkCredential Credential(CardUserKind kind)
        {
            var user = SimulatedCard.DefaultUsers().First(u => u.Kind == kind);
            return new NetworkCredential(user.UserName, user.Password);
        }

        /// <summary>The loopback address of fleet member <paramref name="index"/> (0-based): 127.0.1.1, 127.0.1.2, ...</summary>
        public static string LoopbackAddress(int index)
        {
            if (index < 0 || index >= 250 * 250) throw new ArgumentOutOfRangeException(nameof(index), index, "A fleet holds at most 62500 cards.");
            return string.Format(CultureInfo.InvariantCulture, "127.0.{0}.{1}", 1 + index / 250, 1 + index % 250);
        }

        /// <summary>Adds <paramref name="count"/> cards (profiles from <see cref="CardProfile.ForFleetMember"/> unless given).</summary>
        public IReadOnlyList<SimulatedCard> AddCards(int count, Func<int, CardProfile>? profileFor = null, CardTiming? timing = null)
        {
            if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
            var added = new List<SimulatedCard>();
            lock (_sync)
            {
                for (int i = 0; i < count; i++)
                {
                    int index = _cards.Count;
                    var profile = profileFor?.Invoke(index) ?? CardProfile.ForFleetMember(index);
                    var host = LoopbackAddress(index);
                    profile.IpAddress = host;
                    var card = new SimulatedCard(profile.SystemName, profile, Clock)
                    {
                        Host = host,
                        Timing = (timing ?? new CardTiming()).Clone(),
                    };
                    _cards.Add(card);
                    _index.Add(card);
                    added.Add(card);
                }
            }
            return added;
        }

        public void Add(SimulatedCard card)
        {
            if (card == null) throw new ArgumentNullException(nameof(card));
            lock (_sync)
            {
                _cards.Add(card);
                _index.Add(card);
            }
        }

        /// <summary>
        /// The card serving <paramref name="host"/>:<paramref name="port"/> over the given protocol, or null.
        /// O(1) and lock-free (every connection of a thousand-card rehearsal looks its card up); when two cards
        /// share an endpoint, the one added first.
        /// </summary>
        public SimulatedCard? Find(string host, int port, CardProtocol protocol) => _index.Find(host, port, protocol);

        public void Dispose()
        {
            List<SimulatedCard> cards;
            lock (_sync) cards = _cards.ToList();
            foreach (var card in cards) card.Dispose();
        }
    }
}
