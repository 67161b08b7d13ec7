using System;
using System.Linq;
using SecureNmc.Core.Reports;

namespace SecureNmc.Core.Tests.Reports
{
    public class FleetReportBuilderTests
    {
        [Fact]
        public void Counts_cards_by_status_in_the_sns_wording_by_type_and_by_firmware()
        {
            var report = new ReportFixture().Build();
            Assert.Equal(6, report.DeviceCount);
            Assert.Equal(6, report.ByStatus.Sum(c => c.Count));
            Assert.Equal(1, report.ByStatus.Single(c => c.Label == "Activate Subscription to Update").Count);
            Assert.Equal(1, report.ByStatus.Single(c => c.Label == "Incorrect Credentials").Count);
            Assert.Equal(1, report.ByStatus.Single(c => c.Label == "Not Accessible").Count);
            Assert.Equal(2, report.ByApplicationType.Single(c => c.Label == "SU").Count);
            Assert.Equal(1, report.ByApplicationType.Single(c => c.Label == "NMC2").Count);
            Assert.Equal(1, report.ByFirmware.Single(c => c.Label == "SU 2.5.0.6").Count);
            Assert.Equal(1, report.ByFirmware.Single(c => c.Label == "SY 2.9.0.1").Count);
            Assert.Equal(1, report.ByFirmware.Single(c => c.Label == "NMC2 6.9.6").Count);
        }

        [Fact]
        public void On_latest_share_uses_the_catalogs_latest_per_type_and_leaves_out_nmc2_cards()
        {
            var report = new ReportFixture().Build();
            // SU latest 2.9.0.1 (one of two SU cards), SY latest 2.9.0.1 (one of two), RPDU2G latest 2.9.0.1 (none of one); NMC2 not comparable.
            Assert.Equal(5, report.ComparableWithLatest);
            Assert.Equal(2, report.OnLatest);
            Assert.Equal(0.4, report.OnLatestShare!.Value, 3);
            Assert.Contains(report.LatestPerType, l => l.Label == "SU 2.9.0.1" && l.Count == 1);
            Assert.Null(report.Cards.Single(c => c.Name == "old-card").OnLatest);
        }

        [Fact]
        public void Without_any_package_no_card_is_comparable_and_the_share_is_unknown()
        {
            var input = new ReportFixture().Input();
            input.Catalog = SecureNmc.Core.Firmware.FirmwareCatalog.Empty;
            var report = FleetReportBuilder.Build(input);
            Assert.Equal(0, report.ComparableWithLatest);
            Assert.Null(report.OnLatestShare);
        }

        [Fact]
        public void Counts_subscriptions_by_state_and_keeps_only_the_activation_ids_last_four_characters()
        {
            var report = new ReportFixture().Build();
            Assert.Equal(1, report.SubscriptionsValid);
            Assert.Equal(1, report.SubscriptionsExpiringSoon);
            Assert.Equal(1, report.SubscriptionsExpired);
            Assert.Equal(3, report.SubscriptionsNone);
            var sub = report.Cards.Single(c => c.Name == ReportFixture.ScriptName).Subscription!;
            Assert.Equal("\u20267F3A", sub.ActivationIdEnding);
            Assert.Equal("\u2026", FleetReportBuilder.Ending("ABCD"));
            Assert.Null(FleetReportBuilder.Ending(null));
        }

        [Fact]
        public void The_last_run_has_each_cards_outcome_attempts_duration_error_and_progress_over_time()
        {
            var fixture = new ReportFixture();
            var run = fixture.Build().LastRun!;
            Assert.Equal(fixture.RunId, run.RunId);
            Assert.Equal(3, run.Cards.Count);
            Assert.Equal((1, 1, 1, 0), (run.Updated, run.Failed, run.Skipped, run.Unfinished));
            var failed = run.Cards.Single(c => c.DeviceName == ReportFixture.AttributeBreakName);
            Assert.Equal(3, failed.Attempts);
            Assert.Equal(TimeSpan.FromSeconds(299), failed.Duration);
            Assert.Equal("upload dropped <b>twice</b>", failed.Error);
            Assert.Equal("Update Error", failed.Status);
            Assert.Null(run.Cards.Single(c => c.Outcome == "Updated").Error);
            Assert.Equal(new[] { 2.0, 120.0, 300.0 }, run.Progress.Select(p => p.Elapsed.TotalSeconds));
            Assert.Equal(new[] { 1, 2, 3 }, run.Progress.Select(p => p.Finished));
            Assert.Equal(new[] { 0, 1, 1 }, run.Progress.Select(p => p.Updated));
            Assert.Equal(TimeSpan.FromSeconds(301), run.Finished!.Value - run.Started);
        }

        [Fact]
        public void A_report_of_some_cards_shows_only_their_part_of_the_run()
        {
            var fixture = new ReportFixture();
            var input = fixture.Input();
            input.Devices = fixture.Devices.Where(d => d.Name == ReportFixture.ScriptName).ToList();
            var report = FleetReportBuilder.Build(input);
            Assert.Equal(1, report.DeviceCount);
            Assert.Single(report.LastRun!.Cards);
            Assert.Single(report.LastRun.Progress);
        }

        [Fact]
        public void Lists_the_cards_needing_action_with_guidance_for_each_problem()
        {
            var report = new ReportFixture().Build();
            var problems = report.Actions.Select(a => a.Problem).OrderBy(p => p).ToList();
            Assert.Equal(new[] { "Activate Subscription to Update", "Incorrect Credentials", "NMC2 card (outside the Secure NMC System)", "Not Accessible", "Update Error" }, problems);
            Assert.Contains("Enable-NmcSubscription", report.Actions.Single(a => a.Problem == "Activate Subscription to Update").Guidance);
            Assert.Contains("Set-NmcDevice -Credential", report.Actions.Single(a => a.Problem == "Incorrect Credentials").Guidance);
            Assert.Contains("APC web site", report.Actions.Single(a => a.DeviceName == "old-card").Guidance);
            // An Update Error card with no status detail shows its last run's error.
            Assert.Equal("upload dropped <b>twice</b>", report.Actions.Single(a => a.Problem == "Update Error").Detail);
        }

        [Fact]
        public void Without_a_journal_there_is_no_last_run()
        {
            var input = new ReportFixture().Input();
            input.Journal = Array.Empty<SecureNmc.Core.Updates.JournalRecord>();
            var report = FleetReportBuilder.Build(input);
            Assert.Null(report.LastRun);
            Assert.All(report.Cards, c => Assert.Null(c.LatestUpdate));
        }
    }
}
