using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.TestSupport
{
    /// <summary>A library, a fleet of fake cards, a virtual clock and an engine wired together.</summary>
    public sealed class EngineHarness : IDisposable
    {
        public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

        public EngineHarness(params (ApplicationType App, string Version)[] packages)
        {
            Temp = new TempFolder();
            Library = TestFirmware.Library(Temp.Path, packages);
            Options = new UpdateEngineOptions
            {
                ThrottleLimit = 8,
                MaxAttempts = 3,
                BackupFolder = Path.Combine(Temp.Path, "Backup"),
                JournalPath = Path.Combine(Temp.Path, "Updates", "journal.jsonl"),
                DurableJournal = false,
            };
        }

        public TempFolder Temp { get; }
        public FirmwareLibrary Library { get; }
        public FakeFleet Fleet { get; } = new FakeFleet();
        public VirtualClock Clock { get; } = new VirtualClock();
        public UpdateEngineOptions Options { get; }
        public UpdateEventQueue Events { get; } = new UpdateEventQueue();
        public List<UpdateEvent> Seen { get; } = new List<UpdateEvent>();

        public FirmwareUpdateEngine Engine(IFirmwareSource? firmware = null) =>
            new FirmwareUpdateEngine(Fleet.Sessions, Fleet, firmware ?? Library, Options, Clock);

        public IReadOnlyList<UpdatePlan> Plan(IEnumerable<NmcDevice> devices, UpdatePlanOptions? options = null) =>
            new UpdatePlanner(Library.GetCatalog()).PlanAll(devices, options ?? new UpdatePlanOptions());

        public IReadOnlyList<UpdatePlan> PlanFleet(UpdatePlanOptions? options = null) => Plan(Fleet.Cards.Select(c => c.ToDevice()), options);

        public async Task<IReadOnlyList<CardUpdateResult>> RunAsync(IReadOnlyList<UpdatePlan> plans)
        {
            var run = Engine().Start(plans, Events);
            return await Finish(run);
        }

        public async Task<IReadOnlyList<CardUpdateResult>> Finish(UpdateRun run)
        {
            var done = await Task.WhenAny(run.Completion, Task.Delay(WaitLimit));
            Assert.True(done == run.Completion, "the update run did not finish within the test's time limit");
            Drain();
            return await run.Completion;
        }

        public void Drain()
        {
            while (Events.TryTake(out var e, TimeSpan.Zero)) Seen.Add(e!);
        }

        /// <summary>The statuses one card went through, in order, as the observer saw them.</summary>
        public IReadOnlyList<DeviceStatus> StatusesOf(string host) =>
            Seen.OfType<CardStatusChanged>().Where(e => e.DeviceName == host).Select(e => e.Status).ToList();

        public static async Task Within(Task task, string what)
        {
            var done = await Task.WhenAny(task, Task.Delay(WaitLimit));
            Assert.True(done == task, $"timed out waiting for {what}");
            await task;
        }

        public void Dispose()
        {
            Events.Dispose();
            Temp.Dispose();
        }
    }
}
