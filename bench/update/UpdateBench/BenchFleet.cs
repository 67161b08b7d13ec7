using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Hosting;
using SecureNmc.Simulator.Transport;

/// <summary>The cards one measured run updates: inventory records for them and the transport that reaches them.</summary>
interface IBenchFleet : IDisposable
{
    IReadOnlyList<NmcDevice> Devices { get; }
    IFileTransferClient Transport { get; }

    /// <summary>CPU seconds and peak working set of the simulator when it runs in a process of its own (read after Dispose).</summary>
    (double CpuSeconds, double PeakMegabytes)? SimulatorUsage { get; }
}

/// <summary>Cards in this process, reached through the in-process transport (no sockets, no encryption).</summary>
sealed class InProcessBenchFleet : IBenchFleet
{
    private readonly SimulatedFleet _fleet;

    public InProcessBenchFleet(int cards, double scale)
    {
        _fleet = new SimulatedFleet(new SimulatorClock(scale));
        _fleet.AddCards(cards, BenchCards.Profile, BenchCards.Timing);
        Transport = new InProcessCardTransport(_fleet);
        Devices = _fleet.Cards.Select(c => new NmcDevice
        {
            Host = c.Host, Port = c.SshPort, Name = c.Name, Model = c.Profile.Model,
            ApplicationType = c.Profile.ApplicationType, ApplicationVersion = c.Profile.ApplicationVersion, AosVersion = c.Profile.AosVersion,
        }).ToList();
    }

    public IReadOnlyList<NmcDevice> Devices { get; }
    public IFileTransferClient Transport { get; }
    public (double CpuSeconds, double PeakMegabytes)? SimulatorUsage => null;
    public void Dispose() => _fleet.Dispose();
}

/// <summary>
/// Cards served over real SSH/SCP on loopback by a simulator in a child process (this program with
/// --host-fleet), reached through the product's SSH.NET client. The simulator's own process keeps
/// its memory and CPU apart from the engine's, as a real fleet's cards are apart from the admin's machine
/// (they still share this machine's two cores).
/// </summary>
sealed class SimulatorProcessFleet : IBenchFleet
{
    private readonly Process _child;

    public SimulatorProcessFleet(int cards, double scale)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell this program's path to start the simulator.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        // Run as a DLL through the dotnet host when started that way (dotnet UpdateBench.dll).
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(SimulatorProcessFleet).Assembly.Location);
        foreach (var a in new[] { "--host-fleet", cards.ToString(CultureInfo.InvariantCulture), scale.ToString("R", CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
        _child = Process.Start(start) ?? throw new InvalidOperationException("The simulator process did not start.");
        var devices = new List<NmcDevice>();
        string? line;
        while ((line = _child.StandardOutput.ReadLine()) != "ready")
        {
            if (line == null) throw new InvalidOperationException($"The simulator process ended before its cards were up (exit code {(_child.WaitForExit(5000) ? _child.ExitCode : -1)}).");
            var f = line.Split('\t');
            if (f[0] != "card") continue;
            devices.Add(new NmcDevice
            {
                Host = f[1], Port = int.Parse(f[2], CultureInfo.InvariantCulture), Protocol = TransferProtocol.Scp, Name = f[3], Model = f[4],
                ApplicationType = Enum.Parse<ApplicationType>(f[5]), ApplicationVersion = f[6], AosVersion = f[7],
            });
        }
        Devices = devices;
        Transport = new ScpFileTransferClient();
    }

    public IReadOnlyList<NmcDevice> Devices { get; }
    public IFileTransferClient Transport { get; }
    public (double CpuSeconds, double PeakMegabytes)? SimulatorUsage { get; private set; }

    public void Dispose()
    {
        try
        {
            _child.StandardInput.Close(); // the child's cue to report and stop
            var line = _child.StandardOutput.ReadLine();
            var f = line?.Split('\t');
            if (f is { Length: 3 } && f[0] == "stats")
                SimulatorUsage = (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture));
            if (!_child.WaitForExit(30_000)) _child.Kill(entireProcessTree: true);
        }
        finally
        {
            _child.Dispose();
        }
    }

    /// <summary>The child's side: host the cards, print them, serve until standard input closes, print usage.</summary>
    public static int HostChild(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        int cards = int.Parse(args[1], inv);
        double scale = double.Parse(args[2], inv);
        using var fleet = new SimulatedFleet(new SimulatorClock(scale));
        fleet.AddCards(cards, BenchCards.Profile, BenchCards.Timing);
        using var host = SimulatorFleetHost.Start(fleet);
        var devices = host.Devices(TransferProtocol.Scp);
        var output = Console.Out;
        for (int i = 0; i < devices.Count; i++)
        {
            var d = devices[i];
            var p = fleet.Cards[i].Profile;
            output.WriteLine(string.Join("\t", "card", d.Host, d.Port.ToString(inv), d.Name, p.Model, p.ApplicationType, p.ApplicationVersion, p.AosVersion));
        }
        output.WriteLine("ready");
        output.Flush();
        while (Console.In.ReadLine() != null) { }
        var self = Process.GetCurrentProcess();
        self.Refresh();
        output.WriteLine(string.Join("\t", "stats", self.TotalProcessorTime.TotalSeconds.ToString("R", inv), (self.PeakWorkingSet64 / (1024.0 * 1024.0)).ToString("F1", inv)));
        output.Flush();
        return 0;
    }
}
