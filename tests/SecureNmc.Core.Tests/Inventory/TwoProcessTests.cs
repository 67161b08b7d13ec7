using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SecureNmc.Core.Inventory;

namespace SecureNmc.Core.Tests.Inventory
{
    /// <summary>Two real OS processes writing the same inventory at once lose nothing.</summary>
    public class TwoProcessTests
    {
        private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(4);

        internal static Process StartStress(string dataFolder, int octet, int count, string? password = null, string? startFile = null)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "SecureNmc.InventoryStress.dll");
            Assert.True(File.Exists(dll), "missing " + dll);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(dll);
            start.ArgumentList.Add(dataFolder);
            start.ArgumentList.Add(octet.ToString());
            start.ArgumentList.Add(count.ToString());
            if (password != null) start.ArgumentList.Add(password);
            if (startFile != null) start.Environment["SECURENMC_STRESS_START_FILE"] = startFile;
            return Process.Start(start)!;
        }

        private static void WaitUntilReady(Process process)
        {
            var line = process.StandardOutput.ReadLineAsync();
            if (!line.Wait(ProcessTimeout))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("the stress process did not start");
            }
            Assert.Equal("ready", line.Result);
        }

        internal static string WaitForSuccess(Process process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)ProcessTimeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"the stress process did not finish within {ProcessTimeout}");
            }
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }

        [Fact]
        public void TwoProcessesAdding500EachEndWith1000()
        {
            using var temp = new TempDataFolder();
            var startFile = temp.Path + ".go";
            using var first = StartStress(temp.Path, 1, 500, startFile: startFile);
            using var second = StartStress(temp.Path, 2, 500, startFile: startFile);
            WaitUntilReady(first);
            WaitUntilReady(second);
            File.WriteAllText(startFile, "go");
            try
            {
                Assert.Contains("added 500", WaitForSuccess(first));
                Assert.Contains("added 500", WaitForSuccess(second));
            }
            finally { File.Delete(startFile); }

            var devices = new DeviceInventory(temp.Folder).GetAll();
            Assert.Equal(1000, devices.Count);
            Assert.Equal(500, devices.Count(d => d.Host.StartsWith("10.1.")));
            Assert.Equal(500, devices.Count(d => d.Host.StartsWith("10.2.")));
            Assert.Equal(1000, devices.Select(d => d.Id).Distinct().Count());
            // The writers really interleaved (otherwise this proves nothing about locking).
            var order = devices.Select(d => d.Host.StartsWith("10.1.") ? 1 : 2).ToList();
            int switches = order.Zip(order.Skip(1), (a, b) => a != b ? 1 : 0).Sum();
            Assert.True(switches > 1, "the two processes did not run at the same time");
        }
    }
}
