using System;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Updates
{
    /// <summary>How one card's part of a run ended.</summary>
    public enum CardOutcome
    {
        /// <summary>Every step flashed and verified: Update Complete.</summary>
        Updated,
        /// <summary>Nothing to do (At Current Version, Newer Firmware Installed) or not updatable (Firmware Unavailable, Activate Subscription to Update, refused).</summary>
        Skipped,
        /// <summary>Update Error (or Incorrect Credentials) after the attempts allowed.</summary>
        Failed,
        /// <summary>Stopped on request before any upload of the current step began.</summary>
        Cancelled,
    }

    /// <summary>One card's result, streamed as it finishes: device, from, to, status, attempts, duration, backup, error.</summary>
    public sealed class CardUpdateResult
    {
        public Guid DeviceId { get; internal set; }
        public string DeviceName { get; internal set; } = "";
        public string Host { get; internal set; } = "";
        public ApplicationType? FromApplicationType { get; internal set; }
        public FirmwareVersion? FromVersion { get; internal set; }
        public ApplicationType? ToApplicationType { get; internal set; }
        public FirmwareVersion? ToVersion { get; internal set; }

        /// <summary>What the card ran when it was last read (the verified version after an update).</summary>
        public ApplicationType? ReachedApplicationType { get; internal set; }
        public FirmwareVersion? ReachedVersion { get; internal set; }

        // The versions as the result table shows them ("SU 2.9.0.1"), so the column a person reads
        // is a property to select, sort and export (and reads like Get-NmcFirmwareUpdate's From/To).
        public string? From => ApplicationVersionText.Format(FromApplicationType, FromVersion);
        public string? To => ApplicationVersionText.Format(ToApplicationType, ToVersion);
        public string? Reached => ApplicationVersionText.Format(ReachedApplicationType, ReachedVersion);

        /// <summary>The AOS and bootloader versions the card reported at that read (null when it did not say).</summary>
        public FirmwareVersion? ReachedAosVersion { get; internal set; }
        public FirmwareVersion? ReachedBootloaderVersion { get; internal set; }

        /// <summary>
        /// Everything the last read of the card returned (the verify step's query after the restart:
        /// versions, model, serial, system name...), which the inventory stores; null when the card was not read.
        /// </summary>
        public CardFiles.CardIdentity? ReadBack { get; internal set; }

        /// <summary>When that read happened.</summary>
        public DateTimeOffset? ReadBackTime { get; internal set; }

        /// <summary>Seed status: Update Complete, Update Error, At Current Version, Incorrect Credentials...</summary>
        public DeviceStatus Status { get; internal set; }
        public string StatusText => Status.ToText();
        public CardOutcome Outcome { get; internal set; }
        public int Attempts { get; internal set; }
        public int StepsCompleted { get; internal set; }
        public int StepCount { get; internal set; }
        public TimeSpan Duration { get; internal set; }
        public string? BackupPath { get; internal set; }

        /// <summary>The reason, for failures, skips and cancellations; never contains a secret.</summary>
        public string? Error { get; internal set; }

        /// <summary>True when this card's firmware was uploaded in this run (so a cancel could not stop it).</summary>
        public bool PassedPointOfNoReturn { get; internal set; }

        /// <summary>Why a cancel requested for this card could not stop it (its upload had begun); null otherwise.</summary>
        public string? CancelRefusedReason { get; internal set; }

        public bool IsSuccess => Outcome == CardOutcome.Updated || (Outcome == CardOutcome.Skipped && (Status == DeviceStatus.AtCurrentVersion || Status == DeviceStatus.NewerFirmwareInstalled));

        public override string ToString() => $"{DeviceName}: {StatusText}" + (Error != null ? $" ({Error})" : "");
    }
}
