using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// Decides, per card, what an update would do: the target (latest for its application type and
    /// hardware unless a version is named), the status the card shows (Ready for Update, At Current
    /// Version, Newer Firmware Installed, Firmware Unavailable, Activate Subscription to Update) and
    /// the multi-step path the upgrade rules require. Pure: reads the catalog snapshot and the
    /// device's last-queried facts, touches nothing.
    /// </summary>
    public sealed class UpdatePlanner
    {
        private readonly FirmwareCatalog _catalog;
        private readonly ISubscriptionGate? _subscriptions;
        private readonly Func<NmcDevice, int> _hardwareOf;

        public UpdatePlanner(FirmwareCatalog catalog, ISubscriptionGate? subscriptions = null, Func<NmcDevice, int>? hardwareOf = null)
        {
            _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
            _subscriptions = subscriptions;
            _hardwareOf = hardwareOf ?? HardwarePlatform.Resolve;
        }

        public IReadOnlyList<UpdatePlan> PlanAll(IEnumerable<NmcDevice> devices, UpdatePlanOptions options) =>
            devices.Select(d => Plan(d, options)).ToList();

        public UpdatePlan Plan(NmcDevice device, UpdatePlanOptions options)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            options ??= new UpdatePlanOptions();
            var name = device.DisplayName;

            if (!device.ApplicationType.HasValue || !FirmwareVersion.TryParse(device.ApplicationVersion, out var installed))
                return Refuse(device, $"{name} has not been queried yet (its application type and version are unknown). Run Get-NmcDevice -Refresh for it first.");

            var fromApp = device.ApplicationType.Value;
            var hardware = _hardwareOf(device);
            if (hardware != HardwarePlatform.Nmc3)
                return Unavailable(device, fromApp, installed, hardware,
                    $"{name} is a model {device.Model} card (hw{hardware:00}), not an NMC3; the Secure NMC System updates NMC3 cards only. Update NMC2 cards with the vendor's tools.");

            var toApp = options.TargetApplicationType ?? fromApp;
            if (toApp != fromApp)
            {
                if (!ApplicationTypeInfo.CanChange(fromApp, toApp))
                {
                    var blocked = !ApplicationTypeInfo.Get(fromApp).CanChangeApplicationType ? fromApp : toApp;
                    return Refuse(device, $"{name} cannot change from {Code(fromApp)} to {Code(toApp)}: {ApplicationTypeInfo.Get(blocked).DisplayName} ({blocked}) cards support no other application type.", fromApp, installed);
                }
                if (!options.AllowApplicationTypeChange)
                    return Refuse(device, $"{name} would change from {Code(fromApp)} to {Code(toApp)}, which resets the card to factory settings. Add -ChangeApplicationType to confirm that this is intended.", fromApp, installed);
            }

            var available = _catalog.For(toApp, hardware);
            if (available.Count == 0)
                return Unavailable(device, fromApp, installed, hardware,
                    $"the firmware library has no {Code(toApp)} package for hardware hw{hardware:00}. Import one (Import-NmcFirmware) or refresh from the catalog service.");

            FirmwarePackage target;
            if (options.TargetVersion.HasValue)
            {
                var named = _catalog.Find(toApp, hardware, options.TargetVersion.Value);
                if (named == null)
                    return Unavailable(device, fromApp, installed, hardware,
                        $"version {options.TargetVersion.Value} of {Code(toApp)} is not in the firmware library; it has {string.Join(", ", available.Select(p => p.Version.ToString()))}.");
                target = named;
            }
            else target = available[0]; // newest first

            var lowestInstalled = installed;
            if (FirmwareVersion.TryParse(device.AosVersion, out var aos) && aos < lowestInstalled) lowestInstalled = aos;

            var plan = BuildPlan(device, options, fromApp, toApp, installed, lowestInstalled, hardware, target, out var decided);
            if (decided != null) return decided;

            if (_subscriptions != null)
            {
                plan.SubscriptionChecked = true;
                var check = _subscriptions.Check(device);
                if (!check.IsActive)
                {
                    var gated = new UpdatePlan(device, PlanDecision.NeedsSubscription, DeviceStatus.ActivateSubscriptionToUpdate,
                        $"{name} has no active Secure NMC subscription{(check.Reason != null ? ": " + check.Reason : "")}. Activate one to update it.");
                    CopyEnds(plan, gated);
                    return gated;
                }
            }
            return plan;
        }

        private UpdatePlan BuildPlan(NmcDevice device, UpdatePlanOptions options, ApplicationType fromApp, ApplicationType toApp,
            FirmwareVersion installed, FirmwareVersion lowestInstalled, int hardware, FirmwarePackage target, out UpdatePlan? decided)
        {
            decided = null;
            var name = device.DisplayName;
            var typeChange = toApp != fromApp;
            var explicitRequest = options.TargetVersion.HasValue || options.Reinstall;

            if (!typeChange && installed == target.Version && !options.Reinstall)
            {
                decided = NoUpdate(device, DeviceStatus.AtCurrentVersion, fromApp, installed, target, hardware);
                return decided;
            }
            if (!typeChange && installed > target.Version && !explicitRequest)
            {
                decided = NoUpdate(device, DeviceStatus.NewerFirmwareInstalled, fromApp, installed, target, hardware);
                return decided;
            }

            List<(FirmwarePackage Package, UpdateStepKind Kind)> path;
            if (target.Version <= installed)
            {
                // Reinstall or a downgrade the admin asked for: one step, and only where it is safe.
                if (target.Version < UpgradeRules.FlashSafeMinimum)
                {
                    decided = Refuse(device, $"{name} would go to {target.Version}, older than {UpgradeRules.FlashSafeMinimum}; such firmware can corrupt flash during later updates ({UpgradeRules.FlashSafeArticle}). Choose {UpgradeRules.FlashSafeMinimum} or later.", fromApp, installed);
                    return decided;
                }
                if (target.Version.Major != installed.Major)
                {
                    decided = Refuse(device, $"{name} runs {installed}; going down to {target.Version} would cross a major version, which is not supported. Choose a {installed.Major}.x version.", fromApp, installed);
                    return decided;
                }
                path = new List<(FirmwarePackage, UpdateStepKind)> { (target, UpdateStepKind.Target) };
            }
            else if (!UpgradePathBuilder.TryBuild(lowestInstalled, _catalog.For(fromApp, hardware), target, out path, out var problem))
            {
                decided = Unavailable(device, fromApp, installed, hardware, $"{name} cannot be updated safely: {problem}");
                return decided;
            }

            var steps = new List<UpdateStep>();
            var bootloader = device.BootloaderVersion;
            for (int i = 0; i < path.Count; i++)
            {
                var (package, kind) = path[i];
                var updatesBoot = package.UpdatesBootloader(bootloader);
                if (updatesBoot) bootloader = package.BootloaderVersion!.Value.ToString();
                steps.Add(new UpdateStep(i, package, kind, updatesBoot, package.ApplicationType != fromApp && (i == 0 || path[i - 1].Package.ApplicationType == fromApp)));
            }
            return new UpdatePlan(device, PlanDecision.Update, DeviceStatus.ReadyForUpdate, null)
            {
                FromApplicationType = fromApp,
                FromVersion = installed,
                ToApplicationType = toApp,
                ToVersion = target.Version,
                Hardware = hardware,
                Steps = steps,
                BackupBeforeUpdate = options.BackupBeforeUpdate,
            };
        }

        /// <summary>
        /// Get-NmcDevice's "New" marker: the latest package for the card's application type and
        /// hardware, and whether it is newer than what the card runs.
        /// </summary>
        public FirmwareAvailability CheckAvailability(NmcDevice device)
        {
            if (!device.ApplicationType.HasValue || !FirmwareVersion.TryParse(device.ApplicationVersion, out var installed))
                return new FirmwareAvailability(false, null, null);
            var hardware = _hardwareOf(device);
            var latest = hardware == HardwarePlatform.Nmc3 ? _catalog.Latest(device.ApplicationType.Value, hardware) : null;
            return new FirmwareAvailability(latest != null && latest.Version > installed, latest, installed);
        }

        private static UpdatePlan NoUpdate(NmcDevice device, DeviceStatus status, ApplicationType app, FirmwareVersion installed, FirmwarePackage target, int hardware) =>
            new UpdatePlan(device, PlanDecision.NoUpdateNeeded, status,
                status == DeviceStatus.AtCurrentVersion
                    ? $"{device.DisplayName} already runs {Code(app)} {installed}, the target version."
                    : $"{device.DisplayName} runs {Code(app)} {installed}, newer than the library's {target.Version}; name a version (-Version) or use -Reinstall to go to it.")
            {
                FromApplicationType = app,
                FromVersion = installed,
                ToApplicationType = app,
                ToVersion = target.Version,
                Hardware = hardware,
            };

        private static UpdatePlan Unavailable(NmcDevice device, ApplicationType app, FirmwareVersion installed, int hardware, string reason) =>
            new UpdatePlan(device, PlanDecision.Unavailable, DeviceStatus.FirmwareUnavailable, reason.StartsWith(device.DisplayName, StringComparison.Ordinal) ? reason : $"{device.DisplayName}: {reason}")
            {
                FromApplicationType = app,
                FromVersion = installed,
                Hardware = hardware,
            };

        private static UpdatePlan Refuse(NmcDevice device, string reason, ApplicationType? app = null, FirmwareVersion? installed = null) =>
            new UpdatePlan(device, PlanDecision.Refused, DeviceStatus.Unknown, reason)
            {
                FromApplicationType = app,
                FromVersion = installed,
            };

        private static void CopyEnds(UpdatePlan from, UpdatePlan to)
        {
            to.FromApplicationType = from.FromApplicationType;
            to.FromVersion = from.FromVersion;
            to.ToApplicationType = from.ToApplicationType;
            to.ToVersion = from.ToVersion;
            to.Hardware = from.Hardware;
            to.Steps = from.Steps;
            to.BackupBeforeUpdate = from.BackupBeforeUpdate;
            to.SubscriptionChecked = true;
        }

        private static string Code(ApplicationType app) => ApplicationVersionText.Code(app);
    }

    /// <summary>Whether newer firmware exists for a card, and which (the seed's bell icon / "New").</summary>
    public sealed class FirmwareAvailability
    {
        public FirmwareAvailability(bool isNewerAvailable, FirmwarePackage? latest, FirmwareVersion? installed)
        {
            IsNewerAvailable = isNewerAvailable;
            Latest = latest;
            Installed = installed;
        }

        public bool IsNewerAvailable { get; }
        public FirmwarePackage? Latest { get; }
        public FirmwareVersion? Installed { get; }
        public FirmwareVersion? LatestVersion => Latest?.Version;
    }
}
