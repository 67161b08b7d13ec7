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
        private bool _silentData, _halfOpen, _legacy, _rsaOnly, _garbled, _reset, _slowInstall, _flapping;
        private long? _dropAfter, _stallAfter;

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

        /// <summary>
        /// An upload stops being read after this many bytes and the connection stays open, silent (a
        /// stalled transfer: nothing is closed, nothing arrives); null = never.
        /// </summary>
        public long? StallUploadAfterBytes
        {
            get => _stallAfter;
            set { _stallAfter = value; Changed?.Invoke(this, EventArgs.Empty); }
        }

        /// <summary>FTP answers "150 File status okay; about to open data connection." and then never uses the data connection (a blocked passive port, seed 002).</summary>
        public bool SilentFtpDataConnection { get => _silentData; set => Set(ref _silentData, value); }

        /// <summary>The card's ports accept TCP connections and then never send or answer anything (a half-open connection).</summary>
        public bool HalfOpenConnections { get => _halfOpen; set => Set(ref _halfOpen, value); }

        /// <summary>SSH offers only NMC2-era algorithms (SHA-1 key exchange, CBC ciphers, hmac-sha1, ssh-rsa) with an RSA host key.</summary>
        public bool LegacySshOnly { get => _legacy; set => Set(ref _legacy, value); }

        /// <summary>SSH presents only an RSA host key (rsa-sha2-512, rsa-sha2-256, ssh-rsa), as NMC3's factory default key.</summary>
        public bool RsaHostKeyOnly { get => _rsaOnly; set => Set(ref _rsaOnly, value); }

        /// <summary>The SSH port sends a garbled identification line (not "SSH-2.0-...") and then says nothing more.</summary>
        public bool GarbledSshIdentification { get => _garbled; set => Set(ref _garbled, value); }

        /// <summary>SSH sends its identification line, reads the client's first bytes, then resets the connection mid-handshake.</summary>
        public bool ResetMidHandshake { get => _reset; set => Set(ref _reset, value); }

        /// <summary>
        /// After accepting a package the card keeps serving on its old versions for
        /// <see cref="CardTiming.InstallStartDelay"/> (longer than the 5 minutes a product waits) before it restarts.
        /// </summary>
        public bool SlowToStartInstalling { get => _slowInstall; set => Set(ref _slowInstall, value); }

        /// <summary>
        /// Coming back from a restart the link drops and returns <see cref="CardTiming.LinkFlaps"/> times
        /// (<see cref="CardTiming.LinkFlapDuration"/> down, as long up) before it stays up.
        /// </summary>
        public bool FlappingLink { get => _flapping; set => Set(ref _flapping, value); }

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
