using System;
using System.Diagnostics;
using System.Linq;
using SecureNmc.Simulator.Ssh.Algorithms;

// Usage: dotnet run -c Release --project bench/SshCryptoBench [MiB per cipher, default 64]
// Prints MiB/s (wall and CPU time) for seal+open of 32 KiB packets per cipher/MAC pair and milliseconds per key agreement.
int mebibytes = args.Length > 0 ? int.Parse(args[0]) : 64;
var random = new Random(1);
byte[] Bytes(int n) { var b = new byte[n]; random.NextBytes(b); return b; }

Console.WriteLine($"Packet protection, {mebibytes} MiB each way in 32 KiB packets (seal + open):");
foreach (var cipher in SshAlgorithmCatalog.Ciphers)
{
    var macs = cipher.IsAead ? new string?[] { null } : new string?[] { "hmac-sha2-256", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com" };
    foreach (var mac in macs)
    {
        var key = Bytes(cipher.KeyLength); var iv = Bytes(Math.Max(1, cipher.IvLength)); var macKey = Bytes(64);
        var sender = SshAlgorithmCatalog.CreateProtection(cipher.Name, mac, key, iv, macKey, true);
        var receiver = SshAlgorithmCatalog.CreateProtection(cipher.Name, mac, key, iv, macKey, false);
        int payload = 32 * 1024;
        int unpadded = 5 + payload - (sender.LengthInClear ? 4 : 0);
        int padding = sender.BlockSize - unpadded % sender.BlockSize; if (padding < 4) padding += sender.BlockSize;
        var packet = new byte[5 + payload + padding];
        uint length = (uint)(packet.Length - 4);
        packet[0] = (byte)(length >> 24); packet[1] = (byte)(length >> 16); packet[2] = (byte)(length >> 8); packet[3] = (byte)length; packet[4] = (byte)padding;
        int count = mebibytes * 32;
        var watch = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (uint seq = 0; seq < count; seq++)
        {
            var wire = sender.Seal(seq, packet);
            receiver.ReadLength(seq, wire.Take(receiver.FirstBlockSize).ToArray());
            receiver.Open(seq, wire);
        }
        // CPU time as well as wall time: on a shared, loaded machine only the CPU figure is comparable between runs.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Console.WriteLine($"  {cipher.Name,-32} {mac ?? "(AEAD)",-32} {mebibytes / watch.Elapsed.TotalSeconds,8:F1} MiB/s wall {mebibytes / cpu.TotalSeconds,8:F1} MiB/s CPU");
    }
}

Console.WriteLine("Key agreement (both sides: two key pairs, two shared secrets):");
foreach (var method in SshAlgorithmCatalog.KeyExchangeMethods)
{
    var watch = Stopwatch.StartNew();
    const int rounds = 5;
    for (int i = 0; i < rounds; i++)
    {
        var (p, g) = method.Flow == KeyExchangeFlow.GroupExchange ? method.ChooseGroup(2048, 3072, 8192) : (Array.Empty<byte>(), Array.Empty<byte>());
        using var a = method.Flow == KeyExchangeFlow.GroupExchange ? method.CreateAgreement(p, g) : method.CreateAgreement();
        using var b = method.Flow == KeyExchangeFlow.GroupExchange ? method.CreateAgreement(p, g) : method.CreateAgreement();
        a.DeriveSharedSecret(b.PublicValue);
        b.DeriveSharedSecret(a.PublicValue);
    }
    Console.WriteLine($"  {method.Name,-40} {watch.Elapsed.TotalMilliseconds / rounds,8:F1} ms");
}
