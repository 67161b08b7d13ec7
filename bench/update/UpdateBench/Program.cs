using System;
using System.Collections.Generic;
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
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Fleet;

// Usage: dotnet run -c Release --project bench/update/UpdateBench -- [cards=1000] [scale=0.01] [packageKiB=1024] [levels=10,25,50,100] [durable=true]
// A level is a concurrency C, or C@scale to run that level at its own time scale (e.g. 10@0.01,100@0.1,1000@1).
// Cards upload at 64 KiB/s and restart in 150 s (simulated), every simulated duration multiplied by the scale.
// For each level: wall time of N cards over the ideal schedule ceil(N/C) x (one card's time, measured alone at the
// level's scale), the engine process's peak working set (sampled), its managed heap's sampled peak, bytes allocated
// and CPU time; over SSH also the simulator process's peak and CPU. Goal: ratio <= 1.10, peak memory < 300 MB.
if (args.Length > 0 && args[0] == "--host-fleet") return SimulatorProcessFleet.HostChild(args);

var inv = CultureInfo.InvariantCulture;
var Defaults = new UpdateEngineOptions();
bool trace = Environment.GetEnvironmentVariable("UPDATEBENCH_TRACE") == "1";
// UPDATEBENCH_TRANSPORT=ssh: the cards are hosted on loopback by a simulator process of their own and reached
// over real SSH/SCP (SSH.NET, the product's client) instead of the in-process transport, so handshakes and
// encryption are measured too.
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
double defaultScale = args.Length > 1 ? double.Parse(args[1], inv) : 0.01;
int packageKiB = args.Length > 2 ? int.Parse(args[2], inv) : 1024;
var levels = (args.Length > 3 ? args[3] : "10,25,50,100").Split(',').Select(s =>
{
    var parts = s.Split('@');
    return (C: int.Parse(parts[0], inv), Scale: parts.Length > 1 ? double.Parse(parts[1], inv) : defaultScale);
}).ToArray();
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

    Console.WriteLine($"UpdateBench: {cards} cards, package {packageKiB} KiB at 64 KiB/s, restart 150 s, durable journal {durable}, " +
                      $"transport {(overSsh ? "SSH/SCP on loopback (simulator in its own process)" : "in-process")}, {Environment.ProcessorCount} cores");

    // Warm-up, not measured: a small fleet at the highest level, at the fastest scale, so tiered compilation has
    // finished with the hot paths (a one-card warm-up left them to be recompiled during the first measured level).
    var fastest = levels.Min(l => l.Scale);
    Run(Math.Min(cards, 200), Math.Min(200, levels.Max(l => l.C)), fastest, out _, out _);
    Run(1, 1, fastest, out _, out _);
    // One card's time at each scale: the median of three runs alone (one run where a card cycle is over 30 s).
    var single = new Dictionary<double, double>();
    foreach (var scale in levels.Select(l => l.Scale).Distinct())
    {
        var times = Enumerable.Range(0, scale * 171 > 30 ? 1 : 3).Select(attempt => Run(1, 1, scale, out _, out _)).OrderBy(t => t).ToList();
        single[scale] = times[times.Count / 2];
        Console.WriteLine($"one card alone at scale {scale}: {single[scale]:F3} s (the unit of the ideal schedule; runs: {string.Join(", ", times.Select(t => t.ToString("F3", inv)))})");
    }
    Console.WriteLine($"{"C",5} {"scale",6} {"cards",6} {"wall s",8} {"ideal s",8} {"ratio",6} {"peak MB",8} {"heap MB",8} {"alloc MB",9} {"CPU s",7} {"CPU ms/card",11} {"sim MB",7} {"sim CPU s",9} {"complete",9}");
    foreach (var (c, scale) in levels)
    {
        var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        long heapPeak = 0, workingSetPeak = 0;
        using var sampling = new System.Threading.CancellationTokenSource();
        // Sampled every 50 ms: the managed heap (engine objects, live or not yet collected: the part this code
        // controls) and the process's working set (with the runtime's own code and native memory), so each
        // level has its own peak rather than the process's lifetime peak.
        var sampler = Task.Run(async () =>
        {
            using var me = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(false));
                me.Refresh();
                workingSetPeak = Math.Max(workingSetPeak, me.WorkingSet64);
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        double wall = Run(cards, c, scale, out int complete, out var simulator);
        sampling.Cancel();
        sampler.Wait();
        var allocated = (GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024.0 * 1024.0);
        self.Refresh();
        var cpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
        double ideal = Math.Ceiling(cards / (double)c) * single[scale];
        string simMb = simulator is { } s ? s.PeakMegabytes.ToString("F0", inv) : "-", simCpu = simulator is { } t ? t.CpuSeconds.ToString("F1", inv) : "-";
        Console.WriteLine($"{c,5} {scale,6} {cards,6} {wall,8:F2} {ideal,8:F2} {wall / ideal,6:F3} {workingSetPeak / (1024.0 * 1024.0),8:F0} {heapPeak / (1024.0 * 1024.0),8:F0} {allocated,9:F0} {cpu,7:F1} {cpu * 1000 / cards,11:F1} {simMb,7} {simCpu,9} {complete,9}");
    }

    double Run(int n, int concurrency, double scale, out int complete, out (double CpuSeconds, double PeakMegabytes)? simulatorUsage)
    {
        var fleet = overSsh ? (IBenchFleet)new SimulatorProcessFleet(n, scale) : new InProcessBenchFleet(n, scale);
        try
        {
            var knownHosts = Path.Combine(root, "known_hosts-" + Guid.NewGuid().ToString("N"));
            var counting = trace ? new CountingTransport(fleet.Transport) : null;
            IFileTransferClient transport = counting ?? fleet.Transport;
            var query = new DeviceQueryService(new[] { transport }, new DeviceQueryOptions { MaxConcurrency = concurrency, ReadEventLog = false, ReadDataLog = false, KnownHostsPath = knownHosts });
            var plans = new UpdatePlanner(library.GetCatalog()).PlanAll(fleet.Devices, new UpdatePlanOptions { BackupBeforeUpdate = Environment.GetEnvironmentVariable("UPDATEBENCH_NOBACKUP") != "1" });
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
                                      $" threads={System.Diagnostics.Process.GetCurrentProcess().Threads.Count} pool={System.Threading.ThreadPool.ThreadCount} pending={System.Threading.ThreadPool.PendingWorkItemCount}");
            }
            var results = run.Completion.Result;
            watch.Stop();
            complete = results.Count(r => r.Status == DeviceStatus.UpdateComplete);
            if (trace)
            {
                var durations = results.Select(r => r.Duration.TotalSeconds).OrderBy(d => d).ToList();
                Console.WriteLine("  seconds per card in each status (mean/p95): " + phases!.Summary());
                Console.WriteLine("  " + counting!.Summary(n));
                Console.WriteLine($"  first-chance exceptions so far: {System.Threading.Interlocked.Read(ref exceptions)}");
                foreach (var k in exceptionKinds.OrderByDescending(k => k.Value).Take(12)) Console.WriteLine($"    {k.Value,7} {k.Key}");
                Console.WriteLine($"  card durations: mean {durations.Average():F3} s, median {durations[durations.Count / 2]:F3} s, p95 {durations[(int)(durations.Count * 0.95)]:F3} s, max {durations.Last():F3} s");
                foreach (var failed in results.Where(r => r.Status != DeviceStatus.UpdateComplete).Take(5)) Console.WriteLine($"  not complete: {failed.Status} {failed.Error}");
            }
            return watch.Elapsed.TotalSeconds;
        }
        finally
        {
            fleet.Dispose();
            simulatorUsage = fleet.SimulatorUsage;
        }
    }
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}
return 0;
