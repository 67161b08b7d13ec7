using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Query;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Transport;

// Usage: dotnet run -c Release --project bench/update/UpdateBench -- [cards=1000] [scale=0.002] [packageKiB=1024] [concurrency list=10,50,100] [durable=true]
// Cards upload at 64 KiB/s and restart in 150 s (simulated), every simulated duration multiplied by `scale`.
// For each concurrency C: wall time of N cards over the ideal schedule ceil(N/C) x (one card's time, measured alone),
// plus process peak memory (and the managed heap's sampled peak, and bytes allocated) and CPU time. Goal: ratio <= 1.10, peak memory < 300 MB.
var inv = CultureInfo.InvariantCulture;
int cards = args.Length > 0 ? int.Parse(args[0], inv) : 1000;
double scale = args.Length > 1 ? double.Parse(args[1], inv) : 0.002;
int packageKiB = args.Length > 2 ? int.Parse(args[2], inv) : 1024;
int[] levels = (args.Length > 3 ? args[3] : "10,50,100").Split(',').Select(s => int.Parse(s, inv)).ToArray();
bool durable = args.Length <= 4 || bool.Parse(args[4]);

var root = Path.Combine(Path.GetTempPath(), "securenmc-updatebench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
try
{
    var types = (ApplicationType[])Enum.GetValues(typeof(ApplicationType));
    var library = new FirmwareLibrary(Path.Combine(root, "cache"));
    foreach (var t in types)
        library.Import(SimulatorFirmwarePackage.Create(Path.Combine(root, "downloads"), t, "2.6.0.2", "2.6.0.1", payloadBytes: packageKiB * 1024));

    var timing = new CardTiming { UploadBytesPerSecond = 64 * 1024, RestartDuration = TimeSpan.FromSeconds(150), ReplyLatency = TimeSpan.FromMilliseconds(200) };
    Console.WriteLine($"UpdateBench: {cards} cards, package {packageKiB} KiB at 64 KiB/s, restart 150 s, time scale {scale}, durable journal {durable}");
    Console.WriteLine($"{"C",5} {"cards",6} {"wall s",8} {"ideal s",8} {"ratio",6} {"peak MB",8} {"heap MB",8} {"alloc MB",9} {"CPU s",7} {"complete",9}");

    Run(1, 1, out _, out _); // warm-up (JIT), not measured
    double single = Run(1, 1, out _, out _);
    Console.WriteLine($"one card alone: {single:F3} s (the unit of the ideal schedule)");
    foreach (var c in levels)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        long heapPeak = 0;
        using var sampling = new System.Threading.CancellationTokenSource();
        // The managed heap (engine and simulator objects, live or not yet collected), sampled: the part of the
        // working set this code controls, apart from the runtime's own code and native memory.
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        double wall = Run(cards, c, out int complete, out long _);
        sampling.Cancel();
        sampler.Wait();
        var allocated = (GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024.0 * 1024.0);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        double ideal = Math.Ceiling(cards / (double)c) * single;
        Process.GetCurrentProcess().Refresh();
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine($"{c,5} {cards,6} {wall,8:F2} {ideal,8:F2} {wall / ideal,6:F3} {peak,8:F0} {heapPeak / (1024.0 * 1024.0),8:F0} {allocated,9:F0} {cpu,7:F1} {complete,9}");
    }

    double Run(int n, int concurrency, out int complete, out long bytes)
    {
        using var fleet = new SimulatedFleet(new SimulatorClock(scale));
        fleet.AddCards(n, i => { var p = CardProfile.ForFleetMember(i); p.ApplicationVersion = p.AosVersion = "2.5.0.6"; return p; }, timing);
        var transport = new InProcessCardTransport(fleet);
        var query = new DeviceQueryService(new IFileTransferClient[] { transport }, new DeviceQueryOptions { MaxConcurrency = concurrency, ReadEventLog = false, ReadDataLog = false });
        var devices = fleet.Cards.Select(c => new NmcDevice
        {
            Host = c.Host, Port = c.SshPort, Name = c.Name, Model = c.Profile.Model,
            ApplicationType = c.Profile.ApplicationType, ApplicationVersion = c.Profile.ApplicationVersion, AosVersion = c.Profile.AosVersion,
        }).ToList();
        var plans = new UpdatePlanner(library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions { BackupBeforeUpdate = true });
        TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds * scale);
        var options = new UpdateEngineOptions
        {
            ThrottleLimit = concurrency,
            BackupFolder = Path.Combine(root, "Backup-" + Guid.NewGuid().ToString("N")),
            JournalPath = Path.Combine(root, "journal-" + Guid.NewGuid().ToString("N") + ".jsonl"),
            DurableJournal = durable,
            RestartPollInitial = S(5), RestartPollMax = S(30), RetryDelayInitial = S(15), RetryDelayMax = S(120),
            RestartDropTimeout = S(300), RestartReturnTimeout = S(600),
        };
        var engine = new FirmwareUpdateEngine(
            new TransferClientSessionFactory(_ => transport, d => new ConnectionOptions { Host = d.Host, Port = d.Port, Credential = SimulatedFleet.AdministratorCredential }),
            new DeviceQueryVersionReader(query, _ => SimulatedFleet.AdministratorCredential), library, options);
        var watch = Stopwatch.StartNew();
        var run = engine.Start(plans);
        while (!run.Completion.Wait(TimeSpan.FromSeconds(2)))
        {
            if (Environment.GetEnvironmentVariable("UPDATEBENCH_TRACE") == "1")
                Console.WriteLine($"  t={watch.Elapsed.TotalSeconds:F0}s " + string.Join(", ", run.Cards.GroupBy(c => c.Status).Select(g => $"{g.Key}={g.Count()}")) +
                                  $" threads={System.Threading.ThreadPool.ThreadCount} pending={System.Threading.ThreadPool.PendingWorkItemCount}");
        }
        var results = run.Completion.Result;
        watch.Stop();
        complete = results.Count(r => r.Status == DeviceStatus.UpdateComplete);
        bytes = 0;
        return watch.Elapsed.TotalSeconds;
    }
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}
