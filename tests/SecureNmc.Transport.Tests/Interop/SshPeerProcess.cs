using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>Runs a peer program (ssh, scp, ssh-keygen, ssh-audit) with a hard timeout and captures its output.</summary>
    internal static class SshPeerProcess
    {
        public sealed record Result(int ExitCode, string Output, string Error);

        public static Result Run(string file, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            if (environment != null)
                foreach (var kv in environment) start.Environment[kv.Key] = kv.Value;
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {file}.");
            process.StandardInput.Close();
            var output = new StringBuilder();
            var error = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (error) error.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new TimeoutException($"{file} {string.Join(" ", arguments)} did not finish within {timeout.TotalSeconds} s. Output: {output} Error: {error}");
            }
            process.WaitForExit();
            lock (output) lock (error) return new Result(process.ExitCode, output.ToString(), error.ToString());
        }

        public static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
