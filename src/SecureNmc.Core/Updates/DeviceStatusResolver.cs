using System;
using System.Collections.Generic;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// The status the inventory shows for a card: the planner's (Ready for Update, At Current Version,
    /// Newer Firmware Installed, Firmware Unavailable, Activate Subscription to Update), worked out
    /// when the device is listed, from its stored facts, the firmware library and the verified licences
    /// as they are at that moment.
    /// <para>
    /// Computed at read time rather than stored on every change, because the facts it depends on change
    /// in many places (Import-NmcFirmware, Clear-NmcFirmwareCache, a catalog refresh, Enable-NmcSubscription,
    /// an offline activation response, a bundle import) and one of them, a subscription running out,
    /// changes with no command at all. It is cheap: one plan is a few dictionary look-ups in the catalog
    /// snapshot and one look-up in the licence store, whose file is read and verified once per command.
    /// </para>
    /// What the planner cannot know is kept: a card that did not answer its last query (Not Accessible,
    /// Incorrect Credentials, Unknown), and an update run's result (Update Complete, Update Error)
    /// while the planner's verdict is the one it was recorded with (<see cref="NmcDevice.StatusBasis"/>).
    /// </summary>
    public sealed class DeviceStatusResolver
    {
        private static readonly HashSet<DeviceStatus> PlannerStatuses = new HashSet<DeviceStatus>
        {
            DeviceStatus.ReadyForUpdate, DeviceStatus.AtCurrentVersion, DeviceStatus.NewerFirmwareInstalled,
            DeviceStatus.FirmwareUnavailable, DeviceStatus.ActivateSubscriptionToUpdate,
        };

        private static readonly UpdatePlanOptions DefaultRequest = new UpdatePlanOptions();

        private readonly UpdatePlanner _planner;

        public DeviceStatusResolver(UpdatePlanner planner) => _planner = planner ?? throw new ArgumentNullException(nameof(planner));

        /// <summary>True for the statuses the planner decides (and so recomputes whenever the device is listed).</summary>
        public static bool IsPlannerStatus(DeviceStatus status) => PlannerStatuses.Contains(status);

        /// <summary>The planner's verdict in one comparable line: status, target application and version.</summary>
        public static string BasisOf(UpdatePlan plan)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            return plan.Status + "|" + plan.ToApplicationType + "|" + plan.ToVersion;
        }

        /// <summary>The planner's verdict for the device as it is now (the latest version, no special request); null when it cannot be judged.</summary>
        public UpdatePlan? PlanNow(NmcDevice device)
        {
            try
            {
                return _planner.Plan(device, DefaultRequest);
            }
            catch (LicensingException)
            {
                // A damaged licence store: the stored status stays; Get-NmcSubscription says what is wrong.
                return null;
            }
        }

        /// <summary>The basis to record with a run's result for <paramref name="device"/> (its facts as the run left them).</summary>
        public string? BasisFor(NmcDevice device)
        {
            var plan = PlanNow(device);
            return plan == null ? null : BasisOf(plan);
        }

        /// <summary>
        /// The status a successful query stores: the planner's, or null (the query's own default) when
        /// the planner cannot judge the card (an NMC2, an unknown application).
        /// </summary>
        public DeviceStatus? StatusAfterQuery(NmcDevice device)
        {
            var plan = PlanNow(device);
            return plan == null || plan.Decision == PlanDecision.Refused ? (DeviceStatus?)null : plan.Status;
        }

        /// <summary>
        /// Sets <paramref name="device"/>'s Status and StatusDetail to what should be shown now (pass a
        /// copy: the inventory is not written). Returns true when they changed.
        /// </summary>
        public bool Resolve(NmcDevice device)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            var recordedWithBasis = device.StatusBasis != null;
            if (!recordedWithBasis && !IsPlannerStatus(device.Status)) return false;

            var plan = PlanNow(device);
            if (plan == null || plan.Decision == PlanDecision.Refused) return false;
            if (recordedWithBasis && string.Equals(BasisOf(plan), device.StatusBasis, StringComparison.Ordinal)) return false;

            var detail = plan.Reason ?? ReadyText(plan);
            if (device.Status == plan.Status && device.StatusDetail == detail && !recordedWithBasis) return false;
            device.Status = plan.Status;
            device.StatusDetail = detail;
            device.StatusBasis = null;
            return true;
        }

        private static string ReadyText(UpdatePlan plan)
        {
            var steps = plan.Steps.Count == 1 ? "1 step" : plan.Steps.Count + " steps";
            return $"Ready to update from {Code(plan.FromApplicationType)} {plan.FromVersion} to {Code(plan.ToApplicationType)} {plan.ToVersion} ({steps}).";
        }

        // Written as everywhere else a person reads a version ("SU 2.9.0.1"): see ApplicationVersionText.
        private static string Code(ApplicationType? app) => app.HasValue ? ApplicationVersionText.Code(app.Value) : "?";
    }
}
