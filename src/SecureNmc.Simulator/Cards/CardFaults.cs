namespace SecureNmc.Simulator.Cards
{
    /// <summary>Faults a card can be told to show. All off by default; change them at any time.</summary>
    public sealed class CardFaults
    {
        /// <summary>Every connection is refused, as for a card that is off or firewalled.</summary>
        public bool RefuseConnections { get; set; }

        /// <summary>An upload is cut off after this many bytes (the session drops); null = never.</summary>
        public long? DropUploadAfterBytes { get; set; }

        /// <summary>The card flips a byte of every file it receives, so a package fails its integrity check.</summary>
        public bool CorruptReceivedFile { get; set; }

        /// <summary>After accepting a package the card restarts and never comes back.</summary>
        public bool NeverComeBack { get; set; }

        /// <summary>After accepting a package the card restarts and comes back on the versions it had.</summary>
        public bool ComeBackOnOldVersion { get; set; }

        /// <summary>Every reply takes <see cref="CardTiming.SlowReplyLatency"/> instead of the normal latency.</summary>
        public bool AnswerSlowly { get; set; }

        /// <summary>SSH presents a different host key, as a replaced (or impersonated) card would.</summary>
        public bool PresentDifferentHostKey { get; set; }

        public CardFaults Clone() => (CardFaults)MemberwiseClone();
    }
}
