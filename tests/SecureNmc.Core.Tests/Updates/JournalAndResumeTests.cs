using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    public class JournalAndResumeTests
    {
        private static EngineHarness Harness() => new EngineHarness(
            (ApplicationType.SU, "2.3.1.1"), (ApplicationType.SU, "2.5.0.6"), (ApplicationType.SY, "2.5.0.6"), (ApplicationType.RPDU2G, "2.5.0.6"));

        [Fact]
        public async Task The_journal_records_every_state_change_and_matches_what_the_cards_report()
        {
            using var h = Harness();
            h.Fleet.Add(new FakeCard("ups-1", ApplicationType.SU, "2.2.0.0"));
            h.Fleet.Add(new FakeCard("ups-2", ApplicationType.SY, "2.4.0.1"));
            h.Fleet.Add(new FakeCard("pdu-1", ApplicationType.RPDU2G, "2.4.0.1") { FailConnectTimes = 1000 });
            await h.RunAsync(h.PlanFleet());

            var records = UpdateJournal.ReadAll(h.Options.JournalPath!, out var unreadable);
            Assert.Equal(0, unreadable);
            Assert.Equal(JournalRecord.RunStartedKind, records.First().Kind);
            Assert.Equal(JournalRecord.RunFinishedKind, records.Last().Kind);
            // Every status change the observer saw is in the journal, in the same order per card.
            foreach (var card in h.Fleet.Cards)
            {
                var journaled = records.Where(r => r.Kind == JournalRecord.CardKind && r.DeviceName == card.Host).Select(r => r.Status).ToList();
                Assert.Equal(h.StatusesOf(card.Host).Select(s => s.ToString()), journaled);
            }

            var states = UpdateHistory.LastRun(h.Options.JournalPath!).ToDictionary(s => s.DeviceName);
            foreach (var card in h.Fleet.Cards)
            {
                var state = states[card.Host];
                Assert.True(state.Finished);
                if (card.Host == "pdu-1") Assert.Null(state.Reached); // it never answered: the journal claims nothing
                else Assert.Equal($"{ApplicationVersionText.Code(card.ApplicationType)} {card.Version}", state.Reached);
            }
            Assert.Equal(DeviceStatus.UpdateComplete, states["ups-1"].Status);
            Assert.Equal(2, states["ups-1"].Steps);
            Assert.Equal(DeviceStatus.UpdateError, states["pdu-1"].Status);
            Assert.Equal(CardOutcome.Failed, states["pdu-1"].Outcome);
            Assert.Equal(3, states["pdu-1"].Attempt);
            Assert.NotNull(states["ups-2"].BackupPath);
        }

        [Fact]
        public void A_torn_last_line_is_ignored_and_counted()
        {
            using var temp = new TempFolder();
            var path = Path.Combine(temp.Path, "journal.jsonl");
            var journal = UpdateJournal.Acquire(path, durable: true);
            journal.Append(new JournalRecord { Time = "2026-11-21T12:00:00Z", RunId = Guid.NewGuid().ToString(), Kind = JournalRecord.RunStartedKind, Cards = 1 });
            UpdateJournal.Release(journal);
            File.AppendAllText(path, "{\"time\":\"2026-11-21T12:00:01Z\",\"run\":\"abc");

            var records = UpdateJournal.ReadAll(path, out var unreadable);
            Assert.Single(records);
            Assert.Equal(1, unreadable);
        }

        [Fact]
        public async Task A_killed_run_is_resumed_without_reflashing_or_losing_a_card()
        {
            using var h = Harness();
            h.Options.ThrottleLimit = 6;
            var done = new[] { h.Fleet.Add(new FakeCard("a-done-1", ApplicationType.SU, "2.4.0.1")), h.Fleet.Add(new FakeCard("a-done-2", ApplicationType.SY, "2.4.0.1")) };
            var restarting = new[] { h.Fleet.Add(new FakeCard("b-restart-1", ApplicationType.SU, "2.4.0.1")), h.Fleet.Add(new FakeCard("b-restart-2", ApplicationType.RPDU2G, "2.4.0.1")) };
            var preparing = new[] { h.Fleet.Add(new FakeCard("c-prep-1", ApplicationType.SU, "2.2.0.0")), h.Fleet.Add(new FakeCard("c-prep-2", ApplicationType.SY, "2.4.0.1")) };
            var restartHolds = restarting.Select(c => c.HoldAt(FakeStage.RestartPoll)).ToList();
            var prepHolds = preparing.Select(c => c.HoldAt(FakeStage.VersionRead)).ToList();
            var stalePlans = h.PlanFleet();

            using var kill = new CancellationTokenSource();
            var first = h.Engine().Start(stalePlans, h.Events, kill.Token);
            await EngineHarness.Within(Task.WhenAll(restartHolds.Concat(prepHolds).Select(x => x.Reached.Task)), "cards to reach the kill point");
            await EngineHarness.Within(WaitFor(() => done.All(c => first.Cards.Single(s => s.DeviceName == c.Host).IsFinished)), "the first cards to finish");

            // The process dies here: what survives is the journal exactly as written so far, with a torn line at the end.
            var survivingJournal = Path.Combine(h.Temp.Path, "after-kill.jsonl");
            File.Copy(h.Options.JournalPath!, survivingJournal);
            File.AppendAllText(survivingJournal, "{\"time\":\"2026-11-21T12:00:01Z\",\"ru");
            kill.Cancel();
            await h.Finish(first);
            var killedState = UpdateHistory.LastRun(survivingJournal).ToDictionary(s => s.DeviceName);
            Assert.All(restarting, c => Assert.True(killedState[c.Host].WasMidUpdate));
            Assert.All(preparing, c => Assert.Equal(DeviceStatus.PreparingDevice, killedState[c.Host].Status));
            Assert.All(restarting.Concat(preparing), c => Assert.False(killedState[c.Host].Finished));

            // The restarting cards finish installing on their own while no tool is watching.
            foreach (var c in h.Fleet.Cards) c.Holds.Clear();
            var uploadsBefore = h.Fleet.Cards.ToDictionary(c => c.Host, c => c.UploadAttempts);

            // Run again, from the same (stale) inventory, against the surviving journal.
            h.Options.JournalPath = survivingJournal;
            h.Seen.Clear();
            var results = (await h.RunAsync(stalePlans)).ToDictionary(r => r.DeviceName);

            foreach (var c in done)
            {
                Assert.Equal(DeviceStatus.AtCurrentVersion, results[c.Host].Status);
                Assert.Equal(uploadsBefore[c.Host], c.UploadAttempts);
            }
            foreach (var c in restarting)
            {
                Assert.Equal(DeviceStatus.UpdateComplete, results[c.Host].Status);
                Assert.Equal(1, c.UploadAttempts); // verified, not flashed again
                var statuses = h.StatusesOf(c.Host);
                Assert.Equal(DeviceStatus.RestartingInterface, statuses[1]); // right after Queued: wait and verify first
                Assert.DoesNotContain(DeviceStatus.UpdatingFirmware, statuses);
            }
            foreach (var c in preparing)
            {
                Assert.Equal(DeviceStatus.UpdateComplete, results[c.Host].Status);
                Assert.Equal(results[c.Host].StepCount, c.UploadAttempts);
            }
            Assert.All(h.Fleet.Cards, c => Assert.Equal("2.5.0.6", c.Version.ToString()));
            Assert.Equal(6, results.Count);
        }

        [Fact]
        public async Task A_resumed_run_continues_the_attempt_count_of_the_interrupted_one()
        {
            using var h = Harness();
            h.Options.MaxAttempts = 3;
            var card = h.Fleet.Add(new FakeCard("ups-flaky", ApplicationType.SU, "2.4.0.1") { DropUploadTimes = 100 });
            var plans = h.PlanFleet();
            var firstUpload = card.HoldAt(FakeStage.UploadStarted);

            using var kill = new CancellationTokenSource();
            var first = h.Engine().Start(plans, h.Events, kill.Token);
            await EngineHarness.Within(firstUpload.Reached.Task, "the first upload");
            var secondUpload = card.HoldAt(FakeStage.UploadStarted);
            firstUpload.Release.TrySetResult(true);          // attempt 1 is dropped and fails
            await EngineHarness.Within(secondUpload.Reached.Task, "the second attempt's upload");

            // The process dies during attempt 2's upload: the journal survives, with a torn last line.
            var survivingJournal = Path.Combine(h.Temp.Path, "after-kill.jsonl");
            File.Copy(h.Options.JournalPath!, survivingJournal);
            File.AppendAllText(survivingJournal, "{\"time\":\"2026-11-21T12:00:01Z\",\"ru");
            kill.Cancel();
            await h.Finish(first);
            var killed = UpdateHistory.LastRun(survivingJournal).Single();
            Assert.True(killed.Attempt == 2 && killed.WasMidUpdate, $"{killed} at attempt {killed.Attempt}");
            card.Holds.Clear();
            Assert.Equal(1, card.UploadAttempts); // attempt 2's upload was held at its start: no byte went out

            h.Options.JournalPath = survivingJournal;
            var result = (await h.RunAsync(plans)).Single();

            Assert.Equal(DeviceStatus.UpdateError, result.Status);
            Assert.Equal(3, result.Attempts);
            Assert.Contains("gave up after 3 attempts", result.Error);
            // Attempts 1 and 2 before the kill, attempt 3 after it: never more than MaxAttempts over both runs
            // (before the fix the resumed run started again at attempt 1 and uploaded three more times).
            Assert.Equal(2, card.UploadAttempts);
        }

        [Fact]
        public async Task History_shows_each_cards_latest_state_across_runs()
        {
            using var h = Harness();
            h.Fleet.Add(new FakeCard("ups-1", ApplicationType.SU, "2.4.0.1"));
            await h.RunAsync(h.PlanFleet());
            h.Fleet.Add(new FakeCard("ups-2", ApplicationType.SY, "2.4.0.1"));
            await h.RunAsync(h.PlanFleet());

            var latest = UpdateHistory.LatestPerDevice(h.Options.JournalPath!).ToDictionary(s => s.DeviceName);
            Assert.Equal(DeviceStatus.AtCurrentVersion, latest["ups-1"].Status); // the second run found it current
            Assert.Equal(DeviceStatus.UpdateComplete, latest["ups-2"].Status);
            Assert.Equal(2, UpdateHistory.LastRun(h.Options.JournalPath!).Count);
        }

        private static async Task WaitFor(Func<bool> condition)
        {
            while (!condition()) await Task.Delay(10);
        }
    }
}
