using System;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    public class UpdatePlannerTests
    {
        private static FirmwarePackage Pkg(ApplicationType app, string version, string? bootloader = null) =>
            new FirmwarePackage(FirmwarePackageName.Parse(TestFirmware.FileName(app, version)), 1000, new string('a', 64))
            {
                BootloaderVersion = bootloader == null ? (FirmwareVersion?)null : FirmwareVersion.Parse(bootloader),
            };

        private static FirmwareCatalog Catalog(params FirmwarePackage[] packages) => new FirmwareCatalog(packages);

        private static NmcDevice Card(ApplicationType app, string version, string? aos = null, string model = "AP9641", string boot = "1.5.1.1") => new NmcDevice
        {
            Host = "10.0.0.1",
            Name = "ups-1",
            Model = model,
            ApplicationType = app,
            ApplicationVersion = version,
            AosVersion = aos ?? version,
            BootloaderVersion = boot,
        };

        private static readonly FirmwareCatalog Standard = Catalog(
            Pkg(ApplicationType.SU, "2.2.0.4"), Pkg(ApplicationType.SU, "2.3.1.1"), Pkg(ApplicationType.SU, "2.4.0.1"),
            Pkg(ApplicationType.SU, "2.5.0.6"), Pkg(ApplicationType.SY, "2.5.0.6"), Pkg(ApplicationType.RPDU2G, "2.7.0.2"));

        [Fact]
        public void Target_is_the_latest_for_the_type_and_the_card_is_ready()
        {
            var plan = new UpdatePlanner(Standard).Plan(Card(ApplicationType.SU, "2.4.0.1"), new UpdatePlanOptions());
            Assert.Equal(DeviceStatus.ReadyForUpdate, plan.Status);
            Assert.Equal(PlanDecision.Update, plan.Decision);
            Assert.Equal("2.5.0.6", plan.ToVersion.ToString());
            Assert.Equal("apc_hw21_su_2.5.0.6.nmc3", plan.Steps.Single().Package.FileName);
            Assert.True(plan.BackupBeforeUpdate);
        }

        [Fact]
        public void Named_version_is_the_target()
        {
            var plan = new UpdatePlanner(Standard).Plan(Card(ApplicationType.SU, "2.3.1.1"), new UpdatePlanOptions { TargetVersion = FirmwareVersion.Parse("2.4.0.1") });
            Assert.Equal("2.4.0.1", plan.Steps.Single().Version.ToString());
        }

        [Fact]
        public void Card_at_the_target_is_at_current_version_and_a_newer_one_says_so()
        {
            var planner = new UpdatePlanner(Standard);
            Assert.Equal(DeviceStatus.AtCurrentVersion, planner.Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions()).Status);
            var newer = planner.Plan(Card(ApplicationType.SU, "2.6.0.0"), new UpdatePlanOptions());
            Assert.Equal(DeviceStatus.NewerFirmwareInstalled, newer.Status);
            Assert.False(newer.IsActionable);
        }

        [Fact]
        public void Reinstall_flashes_a_current_card_and_takes_a_newer_one_down_within_its_major()
        {
            var planner = new UpdatePlanner(Standard);
            var same = planner.Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions { Reinstall = true });
            Assert.True(same.IsActionable);
            Assert.Equal("2.5.0.6", same.Steps.Single().Version.ToString());
            var down = planner.Plan(Card(ApplicationType.SU, "2.6.0.0"), new UpdatePlanOptions { Reinstall = true });
            Assert.True(down.IsActionable);
            var acrossMajor = planner.Plan(Card(ApplicationType.SU, "3.0.0.1"), new UpdatePlanOptions { TargetVersion = FirmwareVersion.Parse("2.5.0.6") });
            Assert.Equal(PlanDecision.Refused, acrossMajor.Decision);
            Assert.Contains("major version", acrossMajor.Reason);
        }

        [Fact]
        public void Downgrade_below_the_flash_safe_minimum_is_refused()
        {
            var plan = new UpdatePlanner(Standard).Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions { TargetVersion = FirmwareVersion.Parse("2.2.0.4") });
            Assert.Equal(PlanDecision.Refused, plan.Decision);
            Assert.Contains("FAQ000262012", plan.Reason);
        }

        [Fact]
        public void No_package_for_the_type_or_an_unknown_named_version_is_firmware_unavailable()
        {
            var planner = new UpdatePlanner(Standard);
            var none = planner.Plan(Card(ApplicationType.EU1P, "2.5.0.1"), new UpdatePlanOptions());
            Assert.Equal(DeviceStatus.FirmwareUnavailable, none.Status);
            Assert.Contains("no EU1P package", none.Reason);
            var named = planner.Plan(Card(ApplicationType.SU, "2.4.0.1"), new UpdatePlanOptions { TargetVersion = FirmwareVersion.Parse("2.9.9.9") });
            Assert.Equal(DeviceStatus.FirmwareUnavailable, named.Status);
            Assert.Contains("2.5.0.6", named.Reason); // lists what is available
        }

        [Fact]
        public void Card_below_2_3_1_1_goes_through_2_3_1_1_first()
        {
            var plan = new UpdatePlanner(Standard).Plan(Card(ApplicationType.SU, "2.1.0.9"), new UpdatePlanOptions());
            Assert.Equal(new[] { "2.3.1.1", "2.5.0.6" }, plan.Steps.Select(s => s.Version.ToString()));
            Assert.Equal(UpdateStepKind.FlashSafeIntermediate, plan.Steps[0].Kind);
            Assert.Contains("2.3.1.1", plan.Describe());
            Assert.Contains("FAQ000262012", plan.Describe());
        }

        [Fact]
        public void Without_2_3_1_1_the_lowest_later_version_is_the_intermediate()
        {
            var catalog = Catalog(Pkg(ApplicationType.SU, "2.2.0.4"), Pkg(ApplicationType.SU, "2.4.0.1"), Pkg(ApplicationType.SU, "2.4.5.0"), Pkg(ApplicationType.SU, "2.5.0.6"));
            var plan = new UpdatePlanner(catalog).Plan(Card(ApplicationType.SU, "2.2.0.4"), new UpdatePlanOptions());
            Assert.Equal(new[] { "2.4.0.1", "2.5.0.6" }, plan.Steps.Select(s => s.Version.ToString()));
        }

        [Fact]
        public void An_old_aos_triggers_the_intermediate_even_when_the_application_version_looks_new()
        {
            var plan = new UpdatePlanner(Standard).Plan(Card(ApplicationType.SU, "2.4.0.1", aos: "2.2.0.0"), new UpdatePlanOptions());
            Assert.Equal(new[] { "2.3.1.1", "2.5.0.6" }, plan.Steps.Select(s => s.Version.ToString()));
        }

        [Fact]
        public void Major_versions_are_not_skipped()
        {
            var catalog = Catalog(Pkg(ApplicationType.SU, "1.4.0.0"), Pkg(ApplicationType.SU, "2.3.1.1"), Pkg(ApplicationType.SU, "2.5.0.6"),
                Pkg(ApplicationType.SU, "3.0.0.2"), Pkg(ApplicationType.SU, "3.1.0.0"), Pkg(ApplicationType.SU, "4.0.1.0"));
            var fromOne = new UpdatePlanner(catalog).Plan(Card(ApplicationType.SU, "1.4.0.0"), new UpdatePlanOptions());
            Assert.Equal(new[] { "2.3.1.1", "3.1.0.0", "4.0.1.0" }, fromOne.Steps.Select(s => s.Version.ToString()));
            var fromTwo = new UpdatePlanner(catalog).Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions());
            Assert.Equal(new[] { "3.1.0.0", "4.0.1.0" }, fromTwo.Steps.Select(s => s.Version.ToString()));
            Assert.Equal(UpdateStepKind.MajorVersionIntermediate, fromTwo.Steps[0].Kind);
        }

        [Fact]
        public void A_missing_major_makes_the_card_firmware_unavailable_with_the_reason()
        {
            var catalog = Catalog(Pkg(ApplicationType.SU, "2.5.0.6"), Pkg(ApplicationType.SU, "4.0.1.0"));
            var plan = new UpdatePlanner(catalog).Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions());
            Assert.Equal(DeviceStatus.FirmwareUnavailable, plan.Status);
            Assert.Contains("skip major version 3", plan.Reason);
        }

        [Fact]
        public void Changing_application_type_needs_the_switch_and_is_refused_for_rpdu2g_eu1p_eu3p()
        {
            var planner = new UpdatePlanner(Standard);
            var noSwitch = planner.Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions { TargetApplicationType = ApplicationType.SY });
            Assert.Equal(PlanDecision.Refused, noSwitch.Decision);
            Assert.Contains("factory settings", noSwitch.Reason);

            var ok = planner.Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions { TargetApplicationType = ApplicationType.SY, AllowApplicationTypeChange = true });
            Assert.True(ok.IsActionable);
            Assert.True(ok.IsApplicationTypeChange);
            Assert.True(ok.Steps.Single().ChangesApplicationType);
            Assert.Contains("factory settings", ok.Describe());

            foreach (var locked in new[] { ApplicationType.RPDU2G, ApplicationType.EU1P, ApplicationType.EU3P })
            {
                var from = planner.Plan(Card(locked, "2.5.0.6"), new UpdatePlanOptions { TargetApplicationType = ApplicationType.SU, AllowApplicationTypeChange = true });
                Assert.Equal(PlanDecision.Refused, from.Decision);
                Assert.Contains("support no other application type", from.Reason);
                var to = planner.Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions { TargetApplicationType = locked, AllowApplicationTypeChange = true });
                Assert.Equal(PlanDecision.Refused, to.Decision);
            }
        }

        [Fact]
        public void A_type_change_from_old_firmware_takes_the_intermediate_in_the_current_type_and_changes_type_last()
        {
            var plan = new UpdatePlanner(Standard).Plan(Card(ApplicationType.SU, "2.2.0.4"),
                new UpdatePlanOptions { TargetApplicationType = ApplicationType.SY, AllowApplicationTypeChange = true });
            Assert.Equal(new[] { "apc_hw21_su_2.3.1.1.nmc3", "apc_hw21_sy_2.5.0.6.nmc3" }, plan.Steps.Select(s => s.Package.FileName));
            Assert.False(plan.Steps[0].ChangesApplicationType);
            Assert.True(plan.Steps[1].ChangesApplicationType);
        }

        [Fact]
        public void Inactive_subscription_means_activate_subscription_to_update()
        {
            var gate = new Gate(active: false);
            var plan = new UpdatePlanner(Standard, gate).Plan(Card(ApplicationType.SU, "2.4.0.1"), new UpdatePlanOptions());
            Assert.Equal(DeviceStatus.ActivateSubscriptionToUpdate, plan.Status);
            Assert.False(plan.IsActionable);
            Assert.Contains("expired 2026-01-01", plan.Reason);
            Assert.Equal("2.5.0.6", plan.ToVersion.ToString()); // it still says what it would do

            // Cards that need nothing are not asked about.
            Assert.Equal(DeviceStatus.AtCurrentVersion, new UpdatePlanner(Standard, gate).Plan(Card(ApplicationType.SU, "2.5.0.6"), new UpdatePlanOptions()).Status);
            Assert.True(new UpdatePlanner(Standard, new Gate(true)).Plan(Card(ApplicationType.SU, "2.4.0.1"), new UpdatePlanOptions()).SubscriptionChecked);
        }

        [Fact]
        public void Without_a_gate_updates_are_not_gated_and_the_plan_says_it_was_not_checked()
        {
            var plan = new UpdatePlanner(Standard).Plan(Card(ApplicationType.SU, "2.4.0.1"), new UpdatePlanOptions());
            Assert.True(plan.IsActionable);
            Assert.False(plan.SubscriptionChecked);
        }

        [Fact]
        public void Unqueried_cards_and_nmc2_cards_are_not_planned()
        {
            var planner = new UpdatePlanner(Standard);
            var unqueried = planner.Plan(new NmcDevice { Host = "10.0.0.9" }, new UpdatePlanOptions());
            Assert.Equal(PlanDecision.Refused, unqueried.Decision);
            Assert.Contains("Get-NmcDevice -Refresh", unqueried.Reason);
            var nmc2 = planner.Plan(Card(ApplicationType.SU, "6.9.6", model: "AP9631"), new UpdatePlanOptions());
            Assert.Equal(DeviceStatus.FirmwareUnavailable, nmc2.Status);
            Assert.Contains("not an NMC3", nmc2.Reason);
        }

        [Fact]
        public void Bootloader_step_is_flagged_only_when_the_package_brings_a_newer_bootloader()
        {
            var catalog = Catalog(Pkg(ApplicationType.SU, "2.3.1.1", bootloader: "1.6.0.0"), Pkg(ApplicationType.SU, "2.5.0.6", bootloader: "1.6.0.0"));
            var plan = new UpdatePlanner(catalog).Plan(Card(ApplicationType.SU, "2.1.0.0", boot: "1.5.1.1"), new UpdatePlanOptions());
            Assert.True(plan.Steps[0].UpdatesBootloader);
            Assert.False(plan.Steps[1].UpdatesBootloader); // the first step already brought 1.6.0.0
            var current = new UpdatePlanner(catalog).Plan(Card(ApplicationType.SU, "2.3.1.1", boot: "1.6.0.0"), new UpdatePlanOptions());
            Assert.False(current.Steps.Single().UpdatesBootloader);
        }

        [Fact]
        public void Availability_reports_the_newer_latest_version_for_get_nmcdevice()
        {
            var planner = new UpdatePlanner(Standard);
            var older = planner.CheckAvailability(Card(ApplicationType.SU, "2.4.0.1"));
            Assert.True(older.IsNewerAvailable);
            Assert.Equal("2.5.0.6", older.LatestVersion.ToString());
            Assert.False(planner.CheckAvailability(Card(ApplicationType.SU, "2.5.0.6")).IsNewerAvailable);
            Assert.False(planner.CheckAvailability(Card(ApplicationType.EU1P, "2.5.0.6")).IsNewerAvailable);
        }

        private sealed class Gate : ISubscriptionGate
        {
            private readonly bool _active;
            public Gate(bool active) => _active = active;
            public SubscriptionCheck Check(NmcDevice device) => _active ? SubscriptionCheck.Active : SubscriptionCheck.Inactive("expired 2026-01-01");
        }
    }
}
