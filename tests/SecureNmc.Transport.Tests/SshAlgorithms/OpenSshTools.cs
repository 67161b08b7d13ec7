using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    /// <summary>Runs the OpenSSH and OpenSSL command-line tools installed on the machine, each with a hard timeout.</summary>
    internal static class OpenSshTools
    {
        public sealed record Result(int ExitCode, string Stdout, string Stderr)
        {
            public override string ToString() => $"exit {ExitCode}; stdout: {Stdout}; stderr: {Stderr}";
        }

        public static Result Run(string fileName, string workingDirectory, byte[]? stdin, params string[] arguments)
        {
            var start = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in arguments) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin != null) process.StandardInput.BaseStream.Write(stdin, 0, stdin.Length);
            process.StandardInput.Close();
            // A hang guard, not a speed check: RSA key generation alone can take tens of
            // seconds on a loaded two-core machine, so the limit is generous.
            if (!process.WaitForExit(180_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{fileName} {string.Join(" ", arguments)} did not finish within 180 s.");
            }
            Task.WaitAll(new Task[] { stdout, stderr }, 5_000);
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }

        public static Result RunChecked(string fileName, string workingDirectory, byte[]? stdin, params string[] arguments)
        {
            var result = Run(fileName, workingDirectory, stdin, arguments);
            if (result.ExitCode != 0) throw new InvalidOperationException($"{fileName} {string.Join(" ", arguments)} failed: {result}");
            return result;
        }
    }

    /// <summary>A scratch directory removed after the test.</summary>
    internal sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "securenmc-ssh-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }
        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
