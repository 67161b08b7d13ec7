using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Query;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Hosting;

namespace SecureNmc.Core.Tests.Updates
{
    /// <summary>
    /// A real OS process runs a fleet update over real SCP against hosted simulated cards and is killed
    /// (SIGKILL, no clean-up) while some cards are finished, some restarting and some still queued. A new
    /// run from the same stale inventory and the journal the killed process left must finish every card
    /// without flashing any card twice and without losing one.
    /// </summary>
    public sealed class KilledProcessResumeTests : IDisposable
    {
        private const string Target = "2.6.0.1";
        private const int Cards = 8;
        private const int AlreadyCurrent = 7;
        private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

        private readonly TempFolder _temp = new TempFolder();
        private readonly SimulatedFleet _fleet = new SimulatedFleet(new SimulatorClock(0.03)); // restart 3.6 s

        public void Dispose()
        {
            _fleet.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public async Task A_killed_update_process_is_resumed_without_reflashing_or_losing_a_card()
        {
            var cards = _fleet.AddCards(Cards, i =>
            {
                var p = CardProfile.ForFleetMember(i);
                p.ApplicationVersion = p.AosVersion = i == AlreadyCurrent ? Target : "2.4.0.1";
                return p;
            });
            using var host = SimulatorFleetHost.Start(_fleet);
            var cache = Path.Combine(_temp.Path, "Firmware");
            var library = new FirmwareLibrary(cache);
            foreach (var type in cards.Select(c => c.Profile.ApplicationType).Distinct())
                library.Import(SimulatorFirmwarePackage.Create(Path.Combine(_temp.Path, "downloads"), type, "2.6.0.2", Target, payloadBytes: 16 * 1024));
            var journalPath = Path.Combine(_temp.Path, "Journal", "updates.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(journalPath)!);
            var backups = Path.Combine(_temp.Path, "Backup");
            var knownHosts = Path.Combine(_temp.Path, "known_hosts");
            // The inventory as it was before the run (and stays: the killed process never saved results).
            var devices = host.Devices(TransferProtocol.Scp).Select((d, i) =>
            {
                d.ApplicationType = cards[i].Profile.ApplicationType;
                d.ApplicationVersion = cards[i].Profile.ApplicationVersion;
                d.AosVersion = cards[i].Profile.AosVersion;
                return d;
            }).ToList();
            var devicesFile = Path.Combine(_temp.Path, "devices.txt");
            File.WriteAllLines(devicesFile, devices.Select(d => string.Join("|", d.Id, d.Name, d.Host, d.Port, d.ApplicationType, d.ApplicationVersion, d.AosVersion)));

            // Run in another process and kill it once a card has finished while another is restarting.
            using (var runner = StartRunner(cache, journalPath, backups, knownHosts, devicesFile, throttle: 2))
            {
                var killPoint = await WaitForJournal(journalPath, runner, states =>
                    states.Any(s => s.Finished && s.Status == DeviceStatus.UpdateComplete) &&
                    states.Any(s => !s.Finished && s.Status == DeviceStatus.RestartingInterface));
                runner.Kill(entireProcessTree: true);
                Assert.True(runner.WaitForExit((int)Limit.TotalMilliseconds), "the update process did not die");
                Assert.True(killPoint.Count(s => !s.Finished) > 0, "the run was already over when it was killed");
            }
            var killed = ReadJournal(journalPath).ToDictionary(s => s.DeviceId);
            Assert.Contains(killed.Values, s => s.WasMidUpdate);

            // The cards that were restarting finish installing on their own while no tool watches.
            await Within(Task.WhenAll(cards.Select(c => c.WaitUntilRunningAsync(CancellationToken.None))));
            var flashedBeforeResume = cards.Select(c => c.FirmwareUpdatesApplied).ToList();
            Assert.Contains(Enumerable.Range(0, Cards), i => killed.TryGetValue(devices[i].Id, out var s) && s.WasMidUpdate && flashedBeforeResume[i] == 1);

            // Resume in this process, from the same stale inventory and the journal the killed process left.
            var query = new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient() }, new DeviceQueryOptions { KnownHostsPath = knownHosts, ReadEventLog = false, ReadDataLog = false });
            var engine = new FirmwareUpdateEngine(
                new TransferClientSessionFactory(_ => new ScpFileTransferClient(), d => new ConnectionOptions
                {
                    Host = d.Host, Port = d.Port, Credential = SimulatedFleet.AdministratorCredential, Ssh = new SshClientOptions { KnownHostsPath = knownHosts },
                }),
                new DeviceQueryVersionReader(query, _ => SimulatedFleet.AdministratorCredential), library,
                new UpdateEngineOptions
                {
                    ThrottleLimit = 4, BackupFolder = backups, JournalPath = journalPath,
                    RestartPollInitial = TimeSpan.FromMilliseconds(100), RestartPollMax = TimeSpan.FromMilliseconds(300),
                    RetryDelayInitial = TimeSpan.FromMilliseconds(100), RetryDelayMax = TimeSpan.FromMilliseconds(300),
                });
            var observer = new StatusRecorder();
            var results = (await Within(engine.RunAsync(new UpdatePlanner(library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions()), observer)))
                .ToDictionary(r => r.DeviceId);

            Assert.Equal(Cards, results.Count);
            for (int i = 0; i < Cards; i++)
            {
                var card = cards[i];
                var id = devices[i].Id;
                var result = results[id];
                Assert.Equal(Target, card.Profile.ApplicationVersion);
                // Never flashed twice, never lost: exactly one flash per card that needed one, over both runs.
                Assert.True((i == AlreadyCurrent ? 0 : 1) == card.FirmwareUpdatesApplied, $"{card.Name}: flashed {card.FirmwareUpdatesApplied} times; {result}");
                var before = killed.TryGetValue(id, out var state) ? state : null;
                if (i == AlreadyCurrent || before?.Finished == true)
                    Assert.True(result.Status == DeviceStatus.AtCurrentVersion, $"{card.Name} finished before the kill: {result}");
                else
                    Assert.True(result.Status == DeviceStatus.UpdateComplete, $"{card.Name}: {result}");
                if (before?.WasMidUpdate == true && flashedBeforeResume[i] == 1)
                {
                    // Its new firmware was in when the process died (restarting or being verified):
                    // the resumed run verifies it and sends nothing again.
                    Assert.DoesNotContain(DeviceStatus.UpdatingFirmware, observer.StatusesOf(id));
                }
                // A card killed mid-upload kept its old firmware; it is flashed once by the resumed run (checked above).
            }
            var final = ReadJournal(journalPath);
            Assert.Equal(Cards, final.Count);
            Assert.All(final, s => Assert.True(s.Finished, s.ToString()));
        }

        [Fact]
        public async Task A_second_process_cannot_start_a_run_on_the_same_data_folder_while_the_first_runs()
        {
            var cards = _fleet.AddCards(4, i =>
            {
                var p = CardProfile.ForFleetMember(i);
                p.ApplicationVersion = p.AosVersion = "2.4.0.1";
                return p;
            });
            using var host = SimulatorFleetHost.Start(_fleet);
            var cache = Path.Combine(_temp.Path, "Firmware");
            var library = new FirmwareLibrary(cache);
            foreach (var type in cards.Select(c => c.Profile.ApplicationType).Distinct())
                library.Import(SimulatorFirmwarePackage.Create(Path.Combine(_temp.Path, "downloads"), type, "2.6.0.2", Target, payloadBytes: 16 * 1024));
            var journalPath = Path.Combine(_temp.Path, "Journal", "updates.jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(journalPath)!);
            var knownHosts = Path.Combine(_temp.Path, "known_hosts");
            var devices = host.Devices(TransferProtocol.Scp).Select((d, i) =>
            {
                d.ApplicationType = cards[i].Profile.ApplicationType;
                d.ApplicationVersion = cards[i].Profile.ApplicationVersion;
                d.AosVersion = cards[i].Profile.AosVersion;
                return d;
            }).ToList();
            var devicesFile = Path.Combine(_temp.Path, "devices.txt");
            File.WriteAllLines(devicesFile, devices.Select(d => string.Join("|", d.Id, d.Name, d.Host, d.Port, d.ApplicationType, d.ApplicationVersion, d.AosVersion)));
            var engine = new FirmwareUpdateEngine(
                new TransferClientSessionFactory(_ => new ScpFileTransferClient(), d => new ConnectionOptions
                {
                    Host = d.Host, Port = d.Port, Credential = SimulatedFleet.AdministratorCredential, Ssh = new SshClientOptions { KnownHostsPath = knownHosts },
                }),
                new DeviceQueryVersionReader(new DeviceQueryService(new IFileTransferClient[] { new ScpFileTransferClient() }, new DeviceQueryOptions { KnownHostsPath = knownHosts }), _ => SimulatedFleet.AdministratorCredential),
                library, new UpdateEngineOptions { ThrottleLimit = 4, JournalPath = journalPath, BackupFolder = Path.Combine(_temp.Path, "Backup2") });
            var plans = new UpdatePlanner(library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions());

            using (var runner = StartRunner(cache, journalPath, Path.Combine(_temp.Path, "Backup"), knownHosts, devicesFile, throttle: 1))
            {
                await WaitForJournal(journalPath, runner, states => states.Any(st => !st.Finished));

                var refused = Assert.Throws<UpdateRunInProgressException>(() => engine.Start(plans));
                Assert.Contains($"process {runner.Id}", refused.Message);
                Assert.Contains("Wait for that run to finish", refused.Message);
                runner.Kill(entireProcessTree: true);
                Assert.True(runner.WaitForExit((int)Limit.TotalMilliseconds), "the update process did not die");
            }
            // Once the other process is gone, its lock is gone with it: the run starts and finishes.
            await Within(Task.WhenAll(cards.Select(c => c.WaitUntilRunningAsync(CancellationToken.None))));
            var results = await Within(engine.RunAsync(plans));
            Assert.Equal(4, results.Count);
        }

        private static Process StartRunner(string cache, string journal, string backups, string knownHosts, string devicesFile, int throttle)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "SecureNmc.UpdateRunner.dll");
            Assert.True(File.Exists(dll), "missing " + dll);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { dll, cache, journal, backups, knownHosts, devicesFile, throttle.ToString() }) start.ArgumentList.Add(a);
            start.Environment["SECURENMC_RUNNER_USER"] = SimulatedFleet.AdministratorCredential.UserName;
            start.Environment["SECURENMC_RUNNER_PASSWORD"] = SimulatedFleet.AdministratorCredential.Password;
            return Process.Start(start)!;
        }

        /// <summary>Polls the journal the other process writes (it holds it open for appending) until the condition holds.</summary>
        private static async Task<IReadOnlyList<CardJournalState>> WaitForJournal(string path, Process runner, Func<IReadOnlyList<CardJournalState>, bool> condition)
        {
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < Limit)
            {
                if (runner.HasExited)
                    Assert.Fail($"the update process ended by itself (exit {runner.ExitCode}) before the kill point: {runner.StandardError.ReadToEnd()}");
                if (File.Exists(path))
                {
                    var states = ReadJournal(path);
                    if (condition(states)) return states;
                }
                await Task.Delay(25);
            }
            runner.Kill(entireProcessTree: true);
            Assert.Fail("the kill point (a card finished while another restarts) was never reached");
            return Array.Empty<CardJournalState>();
        }

        private static IReadOnlyList<CardJournalState> ReadJournal(string path) => UpdateHistory.LastRun(path);

        private static async Task<T> Within<T>(Task<T> task)
        {
            var done = await Task.WhenAny(task, Task.Delay(Limit));
            Assert.True(done == task, "the resumed run did not finish within the test's time limit");
            return await task;
        }

        private static async Task Within(Task task)
        {
            var done = await Task.WhenAny(task, Task.Delay(Limit));
            Assert.True(done == task, "the cards did not come back within the test's time limit");
            await task;
        }

        private sealed class StatusRecorder : IUpdateObserver
        {
            private readonly ConcurrentQueue<CardStatusChanged> _changes = new ConcurrentQueue<CardStatusChanged>();
            public void OnEvent(UpdateEvent updateEvent)
            {
                if (updateEvent is CardStatusChanged change) _changes.Enqueue(change);
            }
            public IReadOnlyList<DeviceStatus> StatusesOf(Guid id) => _changes.Where(c => c.DeviceId == id).Select(c => c.Status).ToList();
        }
    }
}
