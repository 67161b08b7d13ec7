using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    /// <summary>Stop-NmcFirmwareUpdate at each stage: before the upload a card stops at once; after it began it is finished safely.</summary>
    public class CancellationTests
    {
        private static EngineHarness Harness() => new EngineHarness(
            (ApplicationType.SU, "2.3.1.1"), (ApplicationType.SU, "2.5.0.6"));

        [Fact]
        public async Task Queued_and_preparing_cards_stop_at_once_and_nothing_is_sent()
        {
            using var h = Harness();
            h.Options.ThrottleLimit = 1;
            var a = h.Fleet.Add(new FakeCard("ups-a", ApplicationType.SU, "2.4.0.1"));
            var b = h.Fleet.Add(new FakeCard("ups-b", ApplicationType.SU, "2.4.0.1"));
            var c = h.Fleet.Add(new FakeCard("ups-c", ApplicationType.SU, "2.4.0.1"));
            var holdA = a.HoldAt(FakeStage.VersionRead);
            var holdB = b.HoldAt(FakeStage.VersionRead);
            var holdC = c.HoldAt(FakeStage.VersionRead);
            var run = h.Engine().Start(h.PlanFleet(), h.Events);
            var first = await Task.WhenAny(holdA.Reached.Task, holdB.Reached.Task, holdC.Reached.Task);
            await EngineHarness.Within(first, "a card to reach Preparing Device");

            var report = run.RequestCancel();

            Assert.Equal(3, report.Count);
            Assert.All(report, r => Assert.True(r.Cancelled, r.Reason));
            var results = await h.Finish(run);
            Assert.All(results, r =>
            {
                Assert.Equal(CardOutcome.Cancelled, r.Outcome);
                Assert.Equal(DeviceStatus.ReadyForUpdate, r.Status);
            });
            Assert.Equal(2, results.Count(r => r.Error!.Contains("cancelled while queued")));
            Assert.All(h.Fleet.Cards, card => Assert.Equal(0, card.UploadAttempts));
        }

        [Fact]
        public async Task A_card_being_backed_up_stops_before_any_firmware_is_sent()
        {
            using var h = Harness();
            var card = h.Fleet.Add(new FakeCard("ups-b", ApplicationType.SU, "2.4.0.1"));
            var hold = card.HoldAt(FakeStage.Backup);
            var run = h.Engine().Start(h.PlanFleet(), h.Events);
            await EngineHarness.Within(hold.Reached.Task, "the backup to start");

            var report = run.RequestCancel().Single();

            Assert.True(report.Cancelled);
            var result = (await h.Finish(run)).Single();
            Assert.Equal(CardOutcome.Cancelled, result.Outcome);
            Assert.Contains("before any firmware was sent", result.Error);
            Assert.Equal(0, card.UploadAttempts);
            Assert.Equal("2.4.0.1", card.Version.ToString());
        }

        [Theory]
        [InlineData(FakeStage.UploadStarted, "Updating Firmware")]
        [InlineData(FakeStage.RestartPoll, "Restarting Interface")]
        public async Task A_card_past_the_point_of_no_return_is_finished_and_the_cancel_says_why(FakeStage stage, string statusText)
        {
            using var h = Harness();
            var card = h.Fleet.Add(new FakeCard("ups-n", ApplicationType.SU, "2.4.0.1"));
            var queued = h.Fleet.Add(new FakeCard("ups-q", ApplicationType.SU, "2.4.0.1"));
            h.Options.ThrottleLimit = 1;
            var holdQueued = queued.HoldAt(FakeStage.VersionRead);
            var hold = card.HoldAt(stage);
            var run = h.Engine().Start(h.PlanFleet(), h.Events);
            var first = await Task.WhenAny(hold.Reached.Task, holdQueued.Reached.Task);
            await EngineHarness.Within(first, "the first card to start");
            if (first == holdQueued.Reached.Task)
            {
                // The other card got the slot first; let it finish so ours reaches the stage.
                holdQueued.Release.TrySetResult(true);
                await EngineHarness.Within(hold.Reached.Task, "the card to reach " + stage);
            }

            var report = run.RequestCancel().ToDictionary(r => r.DeviceName);
            hold.Release.TrySetResult(true);
            holdQueued.Release.TrySetResult(true);
            var results = (await h.Finish(run)).ToDictionary(r => r.DeviceName);

            Assert.False(report["ups-n"].Cancelled);
            Assert.Contains("point of no return", report["ups-n"].Reason);
            Assert.Contains(statusText, report["ups-n"].Reason);
            Assert.Equal(DeviceStatus.UpdateComplete, results["ups-n"].Status);
            Assert.True(results["ups-n"].PassedPointOfNoReturn);
            Assert.Equal(report["ups-n"].Reason, results["ups-n"].CancelRefusedReason);
            Assert.Equal("2.5.0.6", card.Version.ToString());
            if (report["ups-q"].Cancelled)
                Assert.Equal(0, queued.UploadAttempts);
        }

        [Fact]
        public async Task A_card_in_work_is_marked_busy_for_other_features_until_it_finishes()
        {
            using var h = Harness();
            var card = h.Fleet.Add(new FakeCard("ups-busy", ApplicationType.SU, "2.4.0.1"));
            var idle = h.Fleet.Add(new FakeCard("ups-idle", ApplicationType.SU, "2.5.0.6"));
            var hold = card.HoldAt(FakeStage.UploadStarted);
            var run = h.Engine().Start(h.PlanFleet(), h.Events);
            await EngineHarness.Within(hold.Reached.Task, "the upload");

            Assert.True(FirmwareUpdateEngine.IsBeingUpdated(card.ToDevice()));
            Assert.False(FirmwareUpdateEngine.IsBeingUpdated(idle.ToDevice()));
            hold.Release.TrySetResult(true);
            await h.Finish(run);
            Assert.False(FirmwareUpdateEngine.IsBeingUpdated(card.ToDevice()));
        }

        [Fact]
        public async Task A_multi_step_card_finishes_the_step_in_flight_and_does_not_start_the_next()
        {
            using var h = Harness();
            var card = h.Fleet.Add(new FakeCard("ups-m", ApplicationType.SU, "2.2.0.0"));
            var hold = card.HoldAt(FakeStage.UploadStarted);
            var run = h.Engine().Start(h.PlanFleet(), h.Events);
            await EngineHarness.Within(hold.Reached.Task, "the first upload");

            var report = run.RequestCancel().Single();
            Assert.False(report.Cancelled);
            card.Holds.Remove(FakeStage.UploadStarted);
            hold.Release.TrySetResult(true);
            var result = (await h.Finish(run)).Single();

            Assert.Equal(CardOutcome.Cancelled, result.Outcome);
            Assert.Equal(1, result.StepsCompleted);
            Assert.Equal(2, result.StepCount);
            Assert.Equal("2.3.1.1", card.Version.ToString());
            Assert.Equal(1, card.UploadAttempts);
            Assert.Contains("stopped after step 1 of 2", result.Error);
        }

        [Fact]
        public async Task A_card_waiting_to_retry_stops_at_once()
        {
            using var h = Harness();
            h.Options.RetryDelayInitial = TimeSpan.FromSeconds(17);
            var card = h.Fleet.Add(new FakeCard("ups-r", ApplicationType.SU, "2.4.0.1") { FailConnectTimes = 1000 });
            var clock = new HoldingClock(h.Clock, TimeSpan.FromSeconds(17));
            var engine = new FirmwareUpdateEngine(h.Fleet.Sessions, h.Fleet, h.Library, h.Options, clock);
            var run = engine.Start(h.PlanFleet(), h.Events);
            await EngineHarness.Within(clock.Reached.Task, "the retry wait");

            Assert.True(run.RequestCancel().Single().Cancelled);
            var result = (await h.Finish(run)).Single();
            Assert.Equal(CardOutcome.Cancelled, result.Outcome);
            Assert.Contains("waiting to retry", result.Error);
            Assert.Equal(1, result.Attempts);
        }

        [Fact]
        public async Task Cancelling_some_cards_leaves_the_others_running()
        {
            using var h = Harness();
            var stop = h.Fleet.Add(new FakeCard("ups-stop", ApplicationType.SU, "2.4.0.1"));
            var go = h.Fleet.Add(new FakeCard("ups-go", ApplicationType.SU, "2.4.0.1"));
            var holdStop = stop.HoldAt(FakeStage.VersionRead);
            var holdGo = go.HoldAt(FakeStage.VersionRead);
            var plans = h.PlanFleet();
            var run = h.Engine().Start(plans, h.Events);
            await EngineHarness.Within(Task.WhenAll(holdStop.Reached.Task, holdGo.Reached.Task), "both cards to start");

            var report = run.RequestCancel(new[] { plans.Single(p => p.DeviceName == "ups-stop").DeviceId });
            go.Holds.Clear();
            holdGo.Release.TrySetResult(true);
            var results = (await h.Finish(run)).ToDictionary(r => r.DeviceName);

            Assert.Single(report);
            Assert.Equal(CardOutcome.Cancelled, results["ups-stop"].Outcome);
            Assert.Equal(DeviceStatus.UpdateComplete, results["ups-go"].Status);
        }

        /// <summary>Virtual time, except one delay length that waits until cancelled (to catch a card mid back-off).</summary>
        private sealed class HoldingClock : IUpdateClock
        {
            private readonly VirtualClock _inner;
            private readonly TimeSpan _hold;
            public HoldingClock(VirtualClock inner, TimeSpan hold) { _inner = inner; _hold = hold; }
            public TaskCompletionSource<bool> Reached { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            public DateTimeOffset UtcNow => _inner.UtcNow;

            public async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
            {
                if (delay != _hold)
                {
                    await _inner.Delay(delay, cancellationToken);
                    return;
                }
                Reached.TrySetResult(true);
                await Task.Delay(EngineHarness.WaitLimit, cancellationToken);
            }
        }
    }
}
