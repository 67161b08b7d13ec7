using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Simulator.Ftp.Server;
using SecureNmc.Core.Transport;

namespace SecureNmc.Transport.Tests.Ftp
{
    /// <summary>Shared helpers for the FTP tests: payloads, options, a capturing logger, external processes.</summary>
    internal static class FtpTestSupport
    {
        public const string AdminUser = "apc";
        public const string AdminPassword = "admin-Secret-1";
        public const string DeviceUser = "device";
        public const string DevicePassword = "device-Secret-2";
        public const string MfaUser = "mfauser";
        public const string MfaPassword = "mfa-Secret-3";
        public const string MfaRefusalText = "Multi-factor authentication required: enter the verification code sent to your e-mail.";

        public static readonly int[] PayloadSizes = { 0, 1, 1024 * 1024, 20 * 1024 * 1024 };

        /// <summary>Deterministic bytes so a failure can be reproduced; different per size.</summary>
        public static byte[] Payload(int size, int seed = 0)
        {
            var bytes = new byte[size];
            new Random(size * 31 + seed).NextBytes(bytes);
            return bytes;
        }

        public static ConnectionOptions Options(IPEndPoint server, string user, string password, FtpDataMode mode,
            TimeSpan? connectTimeout = null, TimeSpan? operationTimeout = null, ILogger? logger = null) =>
            new ConnectionOptions
            {
                Host = server.Address.ToString(),
                Port = server.Port,
                Credential = new NetworkCredential(user, password),
                ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
                OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(10),
                Ftp = new FtpClientOptions { DataMode = mode },
                Logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            };

        /// <summary>A card-like server: apc = administrator, device = read-only, mfauser = refused with an MFA text.</summary>
        public static FtpServer StartCardServer(InMemoryFtpFileSystem files, Func<FtpLoginRequest, FtpLoginDecision?>? policy = null)
        {
            var server = new FtpServer(new FtpServerOptions { DataTimeout = TimeSpan.FromSeconds(10) }, files, (request, _) =>
            {
                FtpLoginDecision? decided = policy?.Invoke(request);
                if (decided != null) return Task.FromResult(decided);
                if (request.UserName == AdminUser && request.Password == AdminPassword)
                    return Task.FromResult(FtpLoginDecision.Accept(FtpPermission.ReadWrite));
                if (request.UserName == DeviceUser && request.Password == DevicePassword)
                    return Task.FromResult(FtpLoginDecision.Accept(FtpPermission.ReadOnly));
                if (request.UserName == MfaUser && request.Password == MfaPassword)
                    return Task.FromResult(FtpLoginDecision.Reject(MfaRefusalText));
                return Task.FromResult(FtpLoginDecision.Reject());
            });
            server.Start();
            return server;
        }

        public static async Task<T> WithinAsync<T>(Task<T> task, TimeSpan limit, string what)
        {
            if (await Task.WhenAny(task, Task.Delay(limit)) != task)
                throw new Xunit.Sdk.XunitException($"{what} did not finish within {limit.TotalSeconds} s (hang)");
            return await task;
        }

        public static async Task WithinAsync(Task task, TimeSpan limit, string what)
        {
            if (await Task.WhenAny(task, Task.Delay(limit)) != task)
                throw new Xunit.Sdk.XunitException($"{what} did not finish within {limit.TotalSeconds} s (hang)");
            await task;
        }

        public static async Task<FileTransferException> ExpectFailureAsync(Func<Task> action, TimeSpan limit, string what)
        {
            Task running = action();
            if (await Task.WhenAny(running, Task.Delay(limit)) != running)
                throw new Xunit.Sdk.XunitException($"{what} did not finish within {limit.TotalSeconds} s (hang)");
            try
            {
                await running;
            }
            catch (FileTransferException ex)
            {
                return ex;
            }
            throw new Xunit.Sdk.XunitException($"{what} succeeded but a FileTransferException was expected");
        }

        public static string NewTempDirectory(string prefix)
        {
            string path = Path.Combine(Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(path);
            return path;
        }

        public static int FreeTcpPort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        /// <summary>Absolute path of a peer program, or a failure that names the Debian package to install.</summary>
        public static string RequirePeer(string program, string debianPackage)
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(new[] { "/usr/sbin", "/usr/bin", "/sbin" }))
            {
                if (dir.Length == 0) continue;
                string candidate = Path.Combine(dir, program);
                if (File.Exists(candidate)) return candidate;
            }
            throw new Xunit.Sdk.XunitException($"The FTP interop peer '{program}' is not installed: install the Debian package '{debianPackage}' (.ci/run does this in CI).");
        }

        public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

        /// <summary>Runs a program to completion or kills it after <paramref name="limit"/>.</summary>
        public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, TimeSpan limit, string? workingDirectory = null)
        {
            var info = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            };
            foreach (string argument in arguments) info.ArgumentList.Add(argument);
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(limit);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new Xunit.Sdk.XunitException($"{Path.GetFileName(program)} {string.Join(" ", info.ArgumentList)} did not finish within {limit.TotalSeconds} s");
            }
            return new ProcessResult(process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>Keeps every log line so tests can check what was (and was not) logged.</summary>
    internal sealed class CapturingLogger : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new ConcurrentQueue<(LogLevel, string)>();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception)));

        public string AllText => string.Join("\n", Entries.Select(e => e.Message));
    }

    /// <summary>Records progress reports synchronously (Progress&lt;T&gt; would post them later).</summary>
    internal sealed class RecordingProgress : IProgress<TransferProgress>
    {
        public List<TransferProgress> Reports { get; } = new List<TransferProgress>();
        public void Report(TransferProgress value) { lock (Reports) Reports.Add(value); }
        public TransferProgress Last { get { lock (Reports) return Reports[Reports.Count - 1]; } }
    }
}
