using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace SecureNmc.Core.Tests.TestSupport
{
    /// <summary>
    /// A tiny tmpfs filled to the last byte, so writing into it fails with "No space left on device" as a
    /// full local disk does. Linux as root only; <see cref="TryFull"/> returns null elsewhere (the caller skips).
    /// </summary>
    public sealed class TmpfsMount : IDisposable
    {
        private TmpfsMount(string path) => Path = path;

        public string Path { get; }

        public static TmpfsMount? TryFull(string mountPoint)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return null;
            Directory.CreateDirectory(mountPoint);
            if (Run("mount", $"-t tmpfs -o size=64k tmpfs \"{mountPoint}\"") != 0) return null;
            var mount = new TmpfsMount(mountPoint);
            try
            {
                using var filler = new FileStream(System.IO.Path.Combine(mountPoint, "filler"), FileMode.Create);
                var block = new byte[4096];
                while (true) filler.Write(block, 0, block.Length);
            }
            catch (IOException)
            {
                // full, as wanted
            }
            // The disk is full, but a folder still fits: a backup gets as far as creating its files.
            return mount;
        }

        public void Dispose() => Run("umount", $"\"{Path}\"");

        private static int Run(string file, string arguments)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
                process.WaitForExit(10000);
                return process.HasExited ? process.ExitCode : -1;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
            {
                return -1;
            }
        }
    }
}
