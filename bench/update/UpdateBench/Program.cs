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

// Usage: dotnet run -c Release --project bench/update/UpdateBench -- [cards=1000] [scale=0.01] [packageKiB=1024] [concurrency list=10,25,50,100] [durable=true]
// Cards upload at 64 KiB/s and restart in 150 s (simulated), every simulated duration multiplied by `scale`.
// For each concurrency C: wall time of N cards over the ideal schedule ceil(N/C) x (one card's time, measured alone),
// plus process peak memory (and the managed heap's sampled peak, and bytes allocated) and CPU time. Goal: ratio <= 1.10, peak memory < 300 MB.
var inv = CultureInfo.InvariantCulture;
var Defaults = new UpdateEngineOptions();
bool trace = Environment.GetEnvironmentVariable("UPDATEBENCH_TRACE") == "1";
// UPDATEBENCH_TRANSPORT=ssh: the cards are hosted on loopback and reached over real SSH/SCP (SSH.NET,
// the product's client) instead of the in-process transport, so handshakes and encryption are measured too.
bool overSsh = string.Equals(Environment.GetEnvironmentVariable("UPDATEBENCH_TRANSPORT"), "ssh", StringComparison.OrdinalIgnoreCase);
long exceptions = 0;
var exceptionKinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
if (trace)
{
    AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
    {
        System.Threading.Interlocked.Increment(ref exceptions);
        exceptionKinds.AddOrUpdate(e.Exception.GetType().Name + " at " + (e.Exception.TargetSite?.DeclaringType?.Name + "." + e.Exception.TargetSite?.Name), 1, (_, n) => n + 1);
    };
}
int cards = args.Length > 0 ? int.Parse(args[0], inv) : 1000;
double scale = args.Length > 1 ? double.Parse(args[1], inv) : 0.01;
int packageKiB = args.Length > 2 ? int.Parse(args[2], inv) : 1024;
int[] levels = (args.Length > 3 ? args[3] : "10,25,50,100").Split(',').Select(s => int.Parse(s, inv)).ToArray();
bool durable = args.Length <= 4 || bool.Parse(args[4]);

// The data folder (cache, backups, journal) lives where a real one would: an ordinary folder, by default under
// the current directory, or UPDATEBENCH_ROOT. Not the system temp folder: on a build machine /tmp sees so many
// files created and deleted that ext4's inode allocator made every backup folder cost ~8 ms of kernel time
// (1000 folders + 3000 files: 8.3 s in /tmp versus 0.34 s elsewhere on the same disk), which is the machine's
// state, not the engine's cost.
var root = Path.Combine(Environment.GetEnvironmentVariable("UPDATEBENCH_ROOT") is { Length: > 0 } r ? r : Directory.GetCurrentDirectory(),
                        "updatebench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
try
{
    var types = (ApplicationType[])Enum.GetValues(typeof(ApplicationType));
    var library = new FirmwareLibrary(Path.Combine(root, "cache"));
    foreach (var t in types)
        library.Import(SimulatorFirmwarePackage.Create(Path.Combine(root, "downloads"), t, "2.6.0.2", "2.6.0.1", payloadBytes: packageKiB * 1024));

    var timing = new CardTiming { UploadBytesPerSecond = 64 * 1024, RestartDuration = TimeSpan.FromSeconds(150), ReplyLatency = TimeSpan.FromMilliseconds(200) };
    Console.WriteLine($"UpdateBench: {cards} cards, package {packageKiB} KiB at 64 KiB/s, restart 150 s, time scale {scale}, durable journal {durable}, transport {(overSsh ? "SSH/SCP on loopback" : "in-process")}");
    Console.WriteLine($"{"C",5} {"cards",6} {"wall s",8} {"ideal s",8} {"ratio",6} {"peak MB",8} {"heap MB",8} {"alloc MB",9} {"CPU s",7} {"complete",9}");

    // Warm-up, not measured: a small fleet at the highest level, so tiered compilation has finished with the
    // hot paths (a one-card warm-up left them to be recompiled during the first measured level).
    Run(Math.Min(cards, 200), levels.Max(), out _);
    Run(1, 1, out _);
    // One card's time: the median of three runs alone.
    double single = new[] { Run(1, 1, out _), Run(1, 1, out _), Run(1, 1, out _) }.OrderBy(t => t).ElementAt(1);
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
        double wall = Run(cards, c, out int complete);
        sampling.Cancel();
        sampler.Wait();
        var allocated = (GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024.0 * 1024.0);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        double ideal = Math.Ceiling(cards / (double)c) * single;
        Process.GetCurrentProcess().Refresh();
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        Console.WriteLine($"{c,5} {cards,6} {wall,8:F2} {ideal,8:F2} {wall / ideal,6:F3} {peak,8:F0} {heapPeak / (1024.0 * 1024.0),8:F0} {allocated,9:F0} {cpu,7:F1} {complete,9}");
    }

    double Run(int n, int concurrency, out int complete)
    {
        using var fleet = new SimulatedFleet(new SimulatorClock(scale));
        fleet.AddCards(n, i => { var p = CardProfile.ForFleetMember(i); p.ApplicationVersion = p.AosVersion = "2.5.0.6"; return p; }, timing);
        using var host = overSsh ? SecureNmc.Simulator.Hosting.SimulatorFleetHost.Start(fleet) : null;
        var knownHosts = Path.Combine(root, "known_hosts-" + Guid.NewGuid().ToString("N"));
        IFileTransferClient transport = overSsh ? new ScpFileTransferClient() : new InProcessCardTransport(fleet);
        var query = new DeviceQueryService(new IFileTransferClient[] { transport }, new DeviceQueryOptions { MaxConcurrency = concurrency, ReadEventLog = false, ReadDataLog = false, KnownHostsPath = knownHosts });
        var devices = (host != null ? host.Devices(TransferProtocol.Scp) : fleet.Cards.Select(c => new NmcDevice { Host = c.Host, Port = c.SshPort, Name = c.Name }).ToList())
            .Select((d, i) =>
            {
                var c = fleet.Cards[i];
                d.Model = c.Profile.Model;
                d.ApplicationType = c.Profile.ApplicationType; d.ApplicationVersion = c.Profile.ApplicationVersion; d.AosVersion = c.Profile.AosVersion;
                return d;
            }).ToList();
        var plans = new UpdatePlanner(library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions { BackupBeforeUpdate = Environment.GetEnvironmentVariable("UPDATEBENCH_NOBACKUP") != "1" });
        TimeSpan S(TimeSpan real) => TimeSpan.FromTicks((long)(real.Ticks * scale));
        var options = new UpdateEngineOptions
        {
            ThrottleLimit = concurrency,
            BackupFolder = Path.Combine(root, "Backup-" + Guid.NewGuid().ToString("N")),
            JournalPath = Path.Combine(root, "journal-" + Guid.NewGuid().ToString("N") + ".jsonl"),
            DurableJournal = durable,
            // The product's defaults, scaled like the cards' timing.
            RestartPollInitial = S(Defaults.RestartPollInitial), RestartPollMax = S(Defaults.RestartPollMax),
            RetryDelayInitial = S(Defaults.RetryDelayInitial), RetryDelayMax = S(Defaults.RetryDelayMax),
            RestartDropTimeout = S(Defaults.RestartDropTimeout), RestartReturnTimeout = S(Defaults.RestartReturnTimeout),
        };
        var engine = new FirmwareUpdateEngine(
            new TransferClientSessionFactory(_ => transport, d => new ConnectionOptions
            {
                Host = d.Host, Port = d.Port, Credential = SimulatedFleet.AdministratorCredential, Ssh = new SshClientOptions { KnownHostsPath = knownHosts },
            }),
            new DeviceQueryVersionReader(query, _ => SimulatedFleet.AdministratorCredential), library, options);
        var watch = Stopwatch.StartNew();
        var phases = trace ? new PhaseTimer() : null;
        var run = engine.Start(plans, phases);
        while (!run.Completion.Wait(TimeSpan.FromSeconds(2)))
        {
            if (trace)
                Console.WriteLine($"  t={watch.Elapsed.TotalSeconds:F0}s " + string.Join(", ", run.Cards.GroupBy(c => c.Status).Select(g => $"{g.Key}={g.Count()}")) +
                                  $" threads={System.Threading.ThreadPool.ThreadCount} pending={System.Threading.ThreadPool.PendingWorkItemCount}");
        }
        var results = run.Completion.Result;
        watch.Stop();
        complete = results.Count(r => r.Status == DeviceStatus.UpdateComplete);
        if (trace)
        {
            var durations = results.Select(r => r.Duration.TotalSeconds).OrderBy(d => d).ToList();
            Console.WriteLine("  seconds per card in each status (mean/p95): " + phases!.Summary());
            Console.WriteLine($"  first-chance exceptions so far: {System.Threading.Interlocked.Read(ref exceptions)}");
            foreach (var k in exceptionKinds.OrderByDescending(k => k.Value).Take(12)) Console.WriteLine($"    {k.Value,7} {k.Key}");
            Console.WriteLine($"  card durations: mean {durations.Average():F3} s, median {durations[durations.Count / 2]:F3} s, p95 {durations[(int)(durations.Count * 0.95)]:F3} s, max {durations.Last():F3} s");
        }
        return watch.Elapsed.TotalSeconds;
    }
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

/// <summary>Bench tracing: how long cards spend in each status (from the engine's own events): mean and p95 per card.</summary>
sealed class PhaseTimer : IUpdateObserver
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (DeviceStatus Status, Stopwatch Since)> _current = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid, DeviceStatus), double> _spent = new();

    public void OnEvent(UpdateEvent e)
    {
        if (e is not CardStatusChanged c) return;
        if (_current.TryGetValue(c.DeviceId, out var previous))
            _spent.AddOrUpdate((c.DeviceId, previous.Status), previous.Since.Elapsed.TotalSeconds, (_, t) => t + previous.Since.Elapsed.TotalSeconds);
        _current[c.DeviceId] = (c.Status, Stopwatch.StartNew());
    }

    public string Summary() => string.Join(", ", _spent.GroupBy(p => p.Key.Item2).OrderBy(g => g.Key).Select(g =>
    {
        var times = g.Select(p => p.Value).OrderBy(t => t).ToList();
        return $"{g.Key}={times.Average():F3}/p95 {times[(int)(times.Count * 0.95)]:F3}";
    }));
}
