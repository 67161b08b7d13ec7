using System;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>
    /// How fast one card is, in simulated time (scaled by <see cref="SimulatorClock.TimeScale"/>).
    /// Defaults follow the field notes: ~62 KiB/s uploads, minutes-long restarts.
    /// </summary>
    public sealed class CardTiming
    {
        /// <summary>Bytes per simulated second a card accepts an upload at; 0 or less = unlimited.</summary>
        public double UploadBytesPerSecond { get; set; } = 64 * 1024;

        /// <summary>From accepting a package to serving again with the new firmware.</summary>
        public TimeSpan RestartDuration { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>Time a card takes for each reply: login, file read, command.</summary>
        public TimeSpan ReplyLatency { get; set; } = TimeSpan.FromMilliseconds(200);

        /// <summary>Reply time with the <see cref="CardFaults.AnswerSlowly"/> fault (cards have taken ~30 s).</summary>
        public TimeSpan SlowReplyLatency { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>With <see cref="CardFaults.SlowToStartInstalling"/>: time from accepting a package to starting to install it.</summary>
        public TimeSpan InstallStartDelay { get; set; } = TimeSpan.FromMinutes(6);

        /// <summary>With <see cref="CardFaults.FlappingLink"/>: how often the link drops after a restart.</summary>
        public int LinkFlaps { get; set; } = 3;

        /// <summary>With <see cref="CardFaults.FlappingLink"/>: how long each drop (and each return between drops) lasts.</summary>
        public TimeSpan LinkFlapDuration { get; set; } = TimeSpan.FromSeconds(20);

        public CardTiming Clone() => (CardTiming)MemberwiseClone();

        /// <summary>No delays at all: for unit tests.</summary>
        public static CardTiming Instant => new CardTiming { UploadBytesPerSecond = 0, RestartDuration = TimeSpan.Zero, ReplyLatency = TimeSpan.Zero, SlowReplyLatency = TimeSpan.FromHours(1) };
    }
}
