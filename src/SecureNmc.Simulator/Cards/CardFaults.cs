using System;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>
    /// Faults a card can be told to show. All off by default; change them at any time (servers hosting
    /// the card react through <see cref="Changed"/>, e.g. stop listening while connections are refused).
    /// </summary>
    public sealed class CardFaults
    {
        private bool _refuse, _corrupt, _never, _old, _slow, _otherKey;
        private long? _dropAfter;

        /// <summary>Raised after any fault is switched.</summary>
        public event EventHandler? Changed;

        /// <summary>Every connection is refused, as for a card that is off or firewalled.</summary>
        public bool RefuseConnections { get => _refuse; set => Set(ref _refuse, value); }

        /// <summary>An upload is cut off after this many bytes (the session drops); null = never.</summary>
        public long? DropUploadAfterBytes
        {
            get => _dropAfter;
            set { _dropAfter = value; Changed?.Invoke(this, EventArgs.Empty); }
        }

        /// <summary>The card flips a byte of every file it receives, so a package fails its integrity check.</summary>
        public bool CorruptReceivedFile { get => _corrupt; set => Set(ref _corrupt, value); }

        /// <summary>After accepting a package the card restarts and never comes back.</summary>
        public bool NeverComeBack { get => _never; set => Set(ref _never, value); }

        /// <summary>After accepting a package the card restarts and comes back on the versions it had.</summary>
        public bool ComeBackOnOldVersion { get => _old; set => Set(ref _old, value); }

        /// <summary>Every reply takes <see cref="CardTiming.SlowReplyLatency"/> instead of the normal latency.</summary>
        public bool AnswerSlowly { get => _slow; set => Set(ref _slow, value); }

        /// <summary>SSH presents a different host key, as a replaced (or impersonated) card would.</summary>
        public bool PresentDifferentHostKey { get => _otherKey; set => Set(ref _otherKey, value); }

        public CardFaults Clone()
        {
            var copy = (CardFaults)MemberwiseClone();
            copy.Changed = null;
            return copy;
        }

        private void Set(ref bool field, bool value)
        {
            if (field == value) return;
            field = value;
            Changed?.Invoke(this, EventArgs.Empty);
        }
    }
}
