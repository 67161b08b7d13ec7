using System;
using System.Net.Sockets;
using System.Threading;
using SecureNmc.Simulator.Hosting;

// Standalone simulator: cards on loopback for OpenSSH, curl, benchmarks and rehearsals.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
if (args.Length == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"))
{
    Console.WriteLine(SimulatorConsole.Usage);
    return 0;
}
try
{
    await SimulatorConsole.RunAsync(args, Console.Out, stop.Token);
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(SimulatorConsole.Usage);
    return 2;
}
catch (SocketException ex)
{
    Console.Error.WriteLine($"Could not listen: {ex.Message}. Choose another port (port=...) or fewer cards.");
    return 3;
}
