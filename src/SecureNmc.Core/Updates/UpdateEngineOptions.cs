using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SecureNmc.Core.Updates
{
    /// <summary>Engine settings; the cmdlet fills them from the module settings and its parameters.</summary>
    public sealed class UpdateEngineOptions
    {
        /// <summary>-ThrottleLimit, default from the ConcurrentRequests setting: cards updated at once.</summary>
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>MaxFirmwareUpdateAttempts (seed default 3): attempts per card before Update Error.</summary>
        public int MaxAttempts { get; set; } = 3;

        /// <summary>The data folder's Backup folder; backups go to Backup/&lt;device&gt;/&lt;timestamp&gt;/.</summary>
        public string BackupFolder { get; set; } = "";

        /// <summary>
        /// The folder for one card's backups (timestamped subfolders go inside). Default:
        /// <see cref="BackupFolder"/>/&lt;device name made file-safe&gt;; pass the data folder's
        /// <c>DeviceBackupFolder(device.Id)</c> to key backups by the stable device id instead.
        /// </summary>
        public Func<Devices.NmcDevice, string>? DeviceBackupFolder { get; set; }

        /// <summary>The journal file (append-only); null = no journal (no resume, no Get-NmcFirmwareUpdate history).</summary>
        public string? JournalPath { get; set; }

        /// <summary>How long a card may keep answering with its old firmware before it is considered not to have restarted.</summary>
        public TimeSpan RestartDropTimeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>How long a restarting card may stay unreachable (field notes: up to 10 minutes, linked rack PDUs ~10).</summary>
        public TimeSpan RestartReturnTimeout { get; set; } = TimeSpan.FromMinutes(10);

        public TimeSpan RestartPollInitial { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>
        /// The longest pause between two polls of a restarting card. A card that is back is noticed on
        /// average half this late, and its throttle slot waits for that: at 30 s a fleet of ~170 s card
        /// cycles lost about 9 %; at 10 s about 3 %, for one more connection attempt every 10 s to a
        /// card that is booting anyway.
        /// </summary>
        public TimeSpan RestartPollMax { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Wait before attempt 2; doubles per attempt up to <see cref="RetryDelayMax"/>.</summary>
        public TimeSpan RetryDelayInitial { get; set; } = TimeSpan.FromSeconds(15);
        public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>Byte-progress events per upload are coalesced to about this many.</summary>
        public int ProgressReportsPerUpload { get; set; } = 100;

        /// <summary>
        /// Every journal record reaches the operating system before the engine acts (survives a killed
        /// process). When true (default) the records resume depends on are also fsynced (survive a power
        /// loss): run started, "Updating Firmware" before each upload, and each card's result.
        /// </summary>
        public bool DurableJournal { get; set; } = true;

        public ILogger Logger { get; set; } = NullLogger.Instance;

        /// <summary>
        /// The options the module settings decide: attempts per card and the restart limits
        /// (RestartTimeoutSeconds, RestartPollSeconds; the first poll waits 5 s, or less when the
        /// longest pause is set lower). The caller adds throttle, folders and logger.
        /// </summary>
        public static UpdateEngineOptions FromSettings(Settings.NmcSettings settings)
        {
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            var pollMax = TimeSpan.FromSeconds(settings.RestartPollSeconds);
            var firstPoll = TimeSpan.FromSeconds(5);
            return new UpdateEngineOptions
            {
                MaxAttempts = settings.MaxFirmwareUpdateAttempts,
                RestartReturnTimeout = TimeSpan.FromSeconds(settings.RestartTimeoutSeconds),
                RestartPollMax = pollMax,
                RestartPollInitial = pollMax < firstPoll ? pollMax : firstPoll,
            };
        }

        internal void Validate()
        {
            if (ThrottleLimit < 1) throw new ArgumentOutOfRangeException(nameof(ThrottleLimit), ThrottleLimit, "The throttle limit must be at least 1.");
            if (MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "The maximum number of update attempts must be at least 1.");
            if (string.IsNullOrWhiteSpace(BackupFolder)) throw new ArgumentException("The backup folder must be set (the data folder's Backup folder).", nameof(BackupFolder));
        }
    }
}
