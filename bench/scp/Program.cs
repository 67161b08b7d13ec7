// SCP upload benchmark: the same file set, to the same loopback OpenSSH sshd, by the product's SCP
// path (ScpFileTransferClient: SSH.NET plus SecureNmc's SCP exchange) and by OpenSSH `scp -O`, in
// one run. Reports handshake time and throughput as ours/OpenSSH ratios. Needs root (throwaway sshd
// and user), sshd, ssh, scp, sshpass. --cipher restricts the sshd (both clients then use it).
//
//   dotnet run -c Release --project bench/scp [-- --rounds 3 --cipher aes128-ctr]
//
// The fleet bench over real SSH (1,000 simulated cards on loopback at C = 10, 100 and 1000, against
// the ideal schedule) is bench/update with UPDATEBENCH_TRANSPORT=ssh; see bench/update/README.md.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Transport.Scp;

internal static class Program
{
    private const string User = "securenmc-ssh";
    private const string Home = "/var/tmp/securenmc-ssh-home";
    private const string Password = "Nmc-interop-Pw-7731";

    private static async Task<int> Main(string[] args)
    {
        int rounds = ArgValue(args, "--rounds", 3);
        string? cipher = ArgString(args, "--cipher");
        var work = Directory.CreateTempSubdirectory("securenmc-scpbench-").FullName;
        Process? sshd = null;
        try
        {
            SetUpUser();
            int port = FreePort();
            sshd = StartSshd(work, port, cipher);

            var sizes = new[] { 1 << 10, 1 << 20, 8 << 20, 32 << 20 };
            var files = sizes.Select((size, i) =>
            {
                var path = Path.Combine(work, $"file{i}_{size}.bin");
                var data = new byte[size];
                new Random(i).NextBytes(data);
                File.WriteAllBytes(path, data);
                return path;
            }).ToList();
            long totalBytes = sizes.Sum(s => (long)s);
            Console.WriteLine($"File set: {files.Count} files, {totalBytes / 1048576.0:0.0} MiB; sshd {SshdVersion()} on 127.0.0.1:{port}; cipher {(cipher ?? "negotiated default")}; {rounds} rounds");

            // Warm-up (JIT, page cache), not measured.
            await OurHandshakeAsync(port, cipher);
            OpenSshHandshake(port, cipher);

            var ourHandshake = new List<double>();
            var sshHandshake = new List<double>();
            var ourTransfer = new List<double>();
            var sshTransfer = new List<double>();
            for (int r = 0; r < rounds; r++)
            {
                ourHandshake.Add(await OurHandshakeAsync(port, cipher));
                sshHandshake.Add(OpenSshHandshake(port, cipher));
                ourTransfer.Add(await OurUploadAsync(port, cipher, files));
                sshTransfer.Add(OpenSshUpload(port, cipher, files) - sshHandshake.Last());
            }
            double oh = Median(ourHandshake), sh = Median(sshHandshake), ot = Median(ourTransfer), st = Median(sshTransfer);
            double ourMBps = totalBytes / 1048576.0 / ot, sshMBps = totalBytes / 1048576.0 / st;
            Console.WriteLine();
            Console.WriteLine($"{"",-22}{"SSH.NET",12}{"OpenSSH",12}{"ours/OpenSSH",14}");
            Console.WriteLine($"{"handshake+login (ms)",-22}{oh * 1000,12:0.0}{sh * 1000,12:0.0}{oh / sh,14:0.00}");
            Console.WriteLine($"{"upload (MiB/s)",-22}{ourMBps,12:0.0}{sshMBps,12:0.0}{ourMBps / sshMBps,14:0.00}");
            Console.WriteLine();
            Console.WriteLine("Handshake: connect, key exchange, password login and one exec ('true'); OpenSSH's includes starting the ssh process.");
            Console.WriteLine("Upload: the whole file set over one session; OpenSSH's scp time minus its median handshake time.");
            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine("Benchmark failed: " + ex.Message);
            return 1;
        }
        finally
        {
            if (sshd != null && !sshd.HasExited) { sshd.Kill(true); sshd.WaitForExit(5000); }
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    private static ConnectionOptions Options(int port) => new ConnectionOptions
    {
        Host = "127.0.0.1",
        Port = port,
        Credential = new NetworkCredential(User, Password),
        Ssh = new SshClientOptions { KnownHostsPath = null },
    };

    private static async Task<SshNetScpSession> ConnectAsync(int port) =>
        (SshNetScpSession)await new ScpFileTransferClient().OpenAsync(Options(port), CancellationToken.None);

    private static async Task<double> OurHandshakeAsync(int port, string? cipher)
    {
        var watch = Stopwatch.StartNew();
        using var client = await ConnectAsync(port);
        await client.RunCommandAsync("true", CancellationToken.None);
        watch.Stop();
        await client.CloseAsync(CancellationToken.None);
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> OurUploadAsync(int port, string? cipher, List<string> files)
    {
        using var client = await ConnectAsync(port);
        var watch = Stopwatch.StartNew();
        foreach (var file in files)
        {
            using var source = File.OpenRead(file);
            await client.UploadAsync("ours_" + Path.GetFileName(file), source, source.Length, null, CancellationToken.None);
        }
        watch.Stop();
        await client.CloseAsync(CancellationToken.None);
        return watch.Elapsed.TotalSeconds;
    }

    private static string[] SshOptions(string? cipher)
    {
        var list = new List<string> { "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR" };
        if (cipher != null) list.AddRange(new[] { "-o", "Ciphers=" + cipher });
        return list.ToArray();
    }

    private static double OpenSshHandshake(int port, string? cipher)
    {
        var args = new List<string> { "-p", Password, "ssh" };
        args.AddRange(SshOptions(cipher));
        args.AddRange(new[] { "-p", port.ToString(), $"{User}@127.0.0.1", "true" });
        return Timed("sshpass", args);
    }

    private static double OpenSshUpload(int port, string? cipher, List<string> files)
    {
        var args = new List<string> { "-p", Password, "scp", "-O", "-q" };
        args.AddRange(SshOptions(cipher));
        args.AddRange(new[] { "-P", port.ToString() });
        args.AddRange(files);
        args.Add($"{User}@127.0.0.1:");
        return Timed("sshpass", args);
    }

    private static double Timed(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000)) { p.Kill(true); throw new TimeoutException(file + " did not finish within 5 minutes."); }
        watch.Stop();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {stderr.Result}");
        return watch.Elapsed.TotalSeconds;
    }

    private static Process StartSshd(string work, int port, string? cipher)
    {
        Directory.CreateDirectory("/run/sshd");
        var key = Path.Combine(work, "host_ed25519");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key);
        var config = Path.Combine(work, "sshd_config");
        File.WriteAllLines(config, new[]
        {
            $"Port {port}", "ListenAddress 127.0.0.1", $"HostKey {key}", $"PidFile {Path.Combine(work, "sshd.pid")}",
            "UsePAM no", "PasswordAuthentication yes", "KbdInteractiveAuthentication no", "PubkeyAuthentication no",
            "PermitRootLogin no", "StrictModes no", $"AllowUsers {User}", "AuthorizedKeysFile none", "UseDNS no", "LogLevel ERROR",
        }.Concat(cipher == null ? Array.Empty<string>() : new[] { "Ciphers " + cipher }));
        var start = new ProcessStartInfo("/usr/sbin/sshd") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-D", "-e", "-f", config }) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, __) => { };
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try { using var probe = new TcpClient(); probe.Connect("127.0.0.1", port); return process; }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited) { Thread.Sleep(50); }
        }
    }

    private static void SetUpUser()
    {
        if (Run("id", User) != 0) Run("useradd", "-m", "-d", Home, "-s", "/bin/sh", User);
        Directory.CreateDirectory(Home);
        Run("chown", User, Home);
        var start = new ProcessStartInfo("chpasswd") { RedirectStandardInput = true, UseShellExecute = false };
        using var p = Process.Start(start)!;
        p.StandardInput.WriteLine($"{User}:{Password}");
        p.StandardInput.Close();
        p.WaitForExit(20_000);
    }

    private static int Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit(60_000);
        return p.ExitCode;
    }

    private static string SshdVersion()
    {
        var start = new ProcessStartInfo("ssh", "-V") { UseShellExecute = false, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var text = p.StandardError.ReadToEnd().Trim();
        p.WaitForExit(5000);
        return text.Split(',')[0];
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    private static int ArgValue(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }

    private static string? ArgString(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
