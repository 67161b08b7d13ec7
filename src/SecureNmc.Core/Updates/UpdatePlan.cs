using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;

namespace SecureNmc.Core.Updates
{
    /// <summary>What the planner decided for one card.</summary>
    public enum PlanDecision
    {
        /// <summary>Steps to run: status Ready for Update.</summary>
        Update,
        /// <summary>At Current Version or Newer Firmware Installed.</summary>
        NoUpdateNeeded,
        /// <summary>Firmware Unavailable: the library has nothing suitable.</summary>
        Unavailable,
        /// <summary>Activate Subscription to Update.</summary>
        NeedsSubscription,
        /// <summary>The request itself is not allowed (type change without the switch, unsafe downgrade, unqueried card...).</summary>
        Refused,
    }

    /// <summary>Why a step is in a plan.</summary>
    public enum UpdateStepKind
    {
        /// <summary>The requested or latest version.</summary>
        Target,
        /// <summary>2.3.1.1 or the lowest version at or above it (FAQ000262012).</summary>
        FlashSafeIntermediate,
        /// <summary>The newest version of a major version that may not be skipped.</summary>
        MajorVersionIntermediate,
    }

    /// <summary>One package upload followed by a restart and a version check.</summary>
    public sealed class UpdateStep
    {
        public UpdateStep(int index, FirmwarePackage package, UpdateStepKind kind, bool updatesBootloader, bool changesApplicationType)
        {
            Index = index;
            Package = package;
            Kind = kind;
            UpdatesBootloader = updatesBootloader;
            ChangesApplicationType = changesApplicationType;
        }

        public int Index { get; }
        public FirmwarePackage Package { get; }
        public UpdateStepKind Kind { get; }
        public ApplicationType ApplicationType => Package.ApplicationType;
        public FirmwareVersion Version => Package.Version;

        /// <summary>The package brings a newer bootloader than the card has (catalog metadata): "Updating Bootloader" is shown.</summary>
        public bool UpdatesBootloader { get; }

        /// <summary>This step switches the application type: the card is reset to factory settings.</summary>
        public bool ChangesApplicationType { get; }

        public override string ToString()
        {
            var why = Kind switch
            {
                UpdateStepKind.FlashSafeIntermediate => $" (intermediate: firmware older than {UpgradeRules.FlashSafeMinimum} can corrupt flash, {UpgradeRules.FlashSafeArticle})",
                UpdateStepKind.MajorVersionIntermediate => $" (intermediate: major version {Version.Major} is not skipped)",
                _ => "",
            };
            var extra = (UpdatesBootloader ? ", updates bootloader" : "") + (ChangesApplicationType ? ", changes application type: factory reset" : "");
            return $"{ApplicationVersionText.Format(ApplicationType, Version)} [{Package.FileName}]{why}{extra}";
        }
    }

    /// <summary>The plan for one card: from, to, steps, backup; and the status the card shows before any update.</summary>
    public sealed class UpdatePlan
    {
        internal UpdatePlan(NmcDevice device, PlanDecision decision, DeviceStatus status, string? reason)
        {
            Device = device;
            Decision = decision;
            Status = status;
            Reason = reason;
        }

        public NmcDevice Device { get; }
        public Guid DeviceId => Device.Id;
        public string DeviceName => Device.DisplayName;
        public PlanDecision Decision { get; }

        /// <summary>Ready for Update, At Current Version, Newer Firmware Installed, Firmware Unavailable, Activate Subscription to Update, or Unknown (refused).</summary>
        public DeviceStatus Status { get; }

        /// <summary>Why, in a sentence naming the device, when the decision is not a plain update.</summary>
        public string? Reason { get; }

        public ApplicationType? FromApplicationType { get; internal set; }
        public FirmwareVersion? FromVersion { get; internal set; }
        public ApplicationType? ToApplicationType { get; internal set; }
        public FirmwareVersion? ToVersion { get; internal set; }
        public int Hardware { get; internal set; }
        public IReadOnlyList<UpdateStep> Steps { get; internal set; } = Array.Empty<UpdateStep>();
        public bool BackupBeforeUpdate { get; internal set; }
        public bool IsApplicationTypeChange => FromApplicationType.HasValue && ToApplicationType.HasValue && FromApplicationType != ToApplicationType;

        /// <summary>False when no subscription gate was configured (updates are then not gated).</summary>
        public bool SubscriptionChecked { get; internal set; }

        public bool IsActionable => Decision == PlanDecision.Update && Steps.Count > 0;

        public FirmwarePackage? TargetPackage => Steps.Count > 0 ? Steps[Steps.Count - 1].Package : null;

        /// <summary>The -WhatIf text: from -> to, each step, backup.</summary>
        public string Describe()
        {
            var sb = new StringBuilder();
            sb.Append(DeviceName).Append(": ");
            sb.Append(Format(FromApplicationType, FromVersion)).Append(" -> ").Append(Format(ToApplicationType, ToVersion));
            sb.Append(" (").Append(Status.ToText()).Append(')');
            if (Reason != null) sb.Append(": ").Append(Reason);
            if (IsActionable)
            {
                sb.Append(Steps.Count == 1 ? "; 1 step: " : string.Format(CultureInfo.InvariantCulture, "; {0} steps: ", Steps.Count));
                sb.Append(string.Join(", then ", Steps.Select(s => s.ToString())));
                sb.Append(BackupBeforeUpdate ? "; backs up config.ini, event.txt and data.txt first" : "; no backup (BackupBeforeUpdate is off)");
                if (IsApplicationTypeChange) sb.Append("; WARNING: the card is reset to factory settings");
            }
            return sb.ToString();
        }

        public override string ToString() => Describe();

        private static string Format(ApplicationType? app, FirmwareVersion? version) =>
            (app.HasValue ? ApplicationVersionText.Code(app.Value) : "?") + " " + (version.HasValue ? version.Value.ToString() : "?");
    }
}
