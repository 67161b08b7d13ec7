using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Fleet
{
    /// <summary>
    /// Cards by endpoint (host, case-insensitive, + port + protocol) for <see cref="SimulatedFleet.Find"/>:
    /// lock-free look-ups, kept current when a server moves a card to another port or address
    /// (<see cref="SimulatedCard.EndpointChanged"/>). Cards sharing an endpoint are kept in the order they
    /// were added, so the first one answers, as a linear scan would.
    /// </summary>
    internal sealed class CardEndpointIndex
    {
        private readonly ConcurrentDictionary<EndpointKey, SimulatedCard[]> _byEndpoint = new ConcurrentDictionary<EndpointKey, SimulatedCard[]>();
        private readonly Dictionary<SimulatedCard, Entry> _entries = new Dictionary<SimulatedCard, Entry>();
        private readonly object _sync = new object();
        private long _nextOrder;

        public SimulatedCard? Find(string host, int port, CardProtocol protocol) =>
            host != null && _byEndpoint.TryGetValue(new EndpointKey(host, port, protocol), out var cards) && cards.Length > 0 ? cards[0] : null;

        public void Add(SimulatedCard card)
        {
            lock (_sync)
            {
                if (_entries.ContainsKey(card)) return;
                var entry = new Entry(_nextOrder++);
                _entries.Add(card, entry);
                Index(card, entry);
            }
            card.EndpointChanged += OnEndpointChanged;
        }

        private void OnEndpointChanged(SimulatedCard card)
        {
            lock (_sync)
            {
                if (!_entries.TryGetValue(card, out var entry)) return;
                Unindex(card, entry.Ssh);
                Unindex(card, entry.Ftp);
                Index(card, entry);
            }
        }

        private void Index(SimulatedCard card, Entry entry)
        {
            entry.Ssh = new EndpointKey(card.Host, card.SshPort, CardProtocol.Ssh);
            entry.Ftp = new EndpointKey(card.Host, card.FtpPort, CardProtocol.Ftp);
            Insert(card, entry.Ssh, entry.Order);
            Insert(card, entry.Ftp, entry.Order);
        }

        private void Insert(SimulatedCard card, EndpointKey key, long order)
        {
            if (!_byEndpoint.TryGetValue(key, out var cards))
            {
                _byEndpoint[key] = new[] { card };
                return;
            }
            var list = new List<SimulatedCard>(cards);
            int at = list.FindIndex(c => _entries[c].Order > order);
            list.Insert(at < 0 ? list.Count : at, card);
            _byEndpoint[key] = list.ToArray(); // replaced whole: readers never see a half-changed array
        }

        private void Unindex(SimulatedCard card, EndpointKey key)
        {
            if (!_byEndpoint.TryGetValue(key, out var cards)) return;
            var rest = Array.FindAll(cards, c => !ReferenceEquals(c, card));
            if (rest.Length == 0) _byEndpoint.TryRemove(key, out _);
            else _byEndpoint[key] = rest;
        }

        private sealed class Entry
        {
            public Entry(long order) => Order = order;
            public long Order { get; }
            public EndpointKey Ssh { get; set; }
            public EndpointKey Ftp { get; set; }
        }

        private readonly struct EndpointKey : IEquatable<EndpointKey>
        {
            private readonly string _host;
            private readonly int _port;
            private readonly CardProtocol _protocol;

            public EndpointKey(string host, int port, CardProtocol protocol)
            {
                _host = host;
                _port = port;
                _protocol = protocol;
            }

            public bool Equals(EndpointKey other) =>
                _port == other._port && _protocol == other._protocol && string.Equals(_host, other._host, StringComparison.OrdinalIgnoreCase);

            public override bool Equals(object? obj) => obj is EndpointKey other && Equals(other);

            public override int GetHashCode() =>
                (StringComparer.OrdinalIgnoreCase.GetHashCode(_host) * 31 + _port) * 4 + (int)_protocol;
        }
    }
}
