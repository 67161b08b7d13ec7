using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    /// <summary>
    /// Issue 16: a card that restarts and comes back is expected not to answer for a while; only what
    /// the admin must look at (a card that does not come back in time) is a warning, and once.
    /// </summary>
    public class RestartWarningTests
    {
        [Fact]
        public async Task A_card_that_restarts_and_returns_logs_its_unanswered_polls_as_information_only()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            var log = new CapturingLogger();
            h.Options.Logger = log;
            h.Fleet.Add(new FakeCard("ups-back", ApplicationType.SU, "2.4.0.1") { DownReadsAfterUpload = 4 });

            var result = (await h.RunAsync(h.PlanFleet())).Single();

            Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
            Assert.Empty(log.At(LogLevel.Warning));
            var polls = log.At(LogLevel.Information).Where(m => m.Contains("ups-back is restarting and does not answer yet")).ToList();
            Assert.Equal(4, polls.Count);
        }

        [Fact]
        public async Task A_card_that_never_returns_is_one_warning_however_many_attempts_fail_the_same_way()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            var log = new CapturingLogger();
            h.Options.Logger = log;
            h.Options.MaxAttempts = 3;
            h.Options.RestartReturnTimeout = TimeSpan.FromMinutes(2);
            h.Fleet.Add(new FakeCard("ups-gone", ApplicationType.SU, "2.4.0.1") { NeverReturns = true });
            h.Fleet.Add(new FakeCard("ups-fine", ApplicationType.SU, "2.4.0.1"));

            var results = await h.RunAsync(h.PlanFleet());

            var gone = results.Single(r => r.DeviceName == "ups-gone");
            Assert.Equal(DeviceStatus.UpdateError, gone.Status);
            Assert.Equal(3, gone.Attempts);
            Assert.Equal(DeviceStatus.UpdateComplete, results.Single(r => r.DeviceName == "ups-fine").Status);
            var warning = Assert.Single(log.At(LogLevel.Warning));
            Assert.Contains("ups-gone", warning);
            Assert.Contains("did not come back within 2 minutes", warning);
            // The later attempts that failed the same way are still on record, as information.
            Assert.Equal(2, log.At(LogLevel.Information).Count(m => m.Contains("ups-gone: attempt") && m.Contains("did not come back")));
        }

        [Fact]
        public async Task A_card_that_comes_back_on_the_old_version_is_a_warning()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            var log = new CapturingLogger();
            h.Options.Logger = log;
            h.Options.MaxAttempts = 2;
            h.Fleet.Add(new FakeCard("ups-old", ApplicationType.SU, "2.4.0.1") { RejectPackageTimes = 1 });

            var result = (await h.RunAsync(h.PlanFleet())).Single();

            Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
            Assert.Equal(2, result.Attempts);
            var warning = Assert.Single(log.At(LogLevel.Warning));
            Assert.Contains("did not take", warning);
        }

        [Fact]
        public async Task A_dropped_upload_that_a_retry_fixes_is_no_warning()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            var log = new CapturingLogger();
            h.Options.Logger = log;
            h.Fleet.Add(new FakeCard("ups-drop", ApplicationType.SU, "2.4.0.1") { DropUploadTimes = 1 });

            var result = (await h.RunAsync(h.PlanFleet())).Single();

            Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
            Assert.Equal(2, result.Attempts);
            Assert.Empty(log.At(LogLevel.Warning));
            Assert.Contains(log.At(LogLevel.Information), m => m.Contains("ups-drop: attempt 1 failed"));
        }

        [Fact]
        public void The_restart_limits_come_from_the_settings()
        {
            var settings = new NmcSettings { RestartTimeoutSeconds = 45, RestartPollSeconds = 2, MaxFirmwareUpdateAttempts = 4 };

            var options = UpdateEngineOptions.FromSettings(settings);

            Assert.Equal(TimeSpan.FromSeconds(45), options.RestartReturnTimeout);
            Assert.Equal(TimeSpan.FromSeconds(2), options.RestartPollMax);
            Assert.Equal(TimeSpan.FromSeconds(2), options.RestartPollInitial); // never longer than the longest pause
            Assert.Equal(4, options.MaxAttempts);

            var defaults = UpdateEngineOptions.FromSettings(new NmcSettings());
            Assert.Equal(TimeSpan.FromMinutes(10), defaults.RestartReturnTimeout);
            Assert.Equal(TimeSpan.FromSeconds(10), defaults.RestartPollMax);
            Assert.Equal(TimeSpan.FromSeconds(5), defaults.RestartPollInitial);
        }
    }
}
