using System;
using System.Globalization;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;

namespace SecureNmc.InventoryStress
{
    /// <summary>
    /// Usage: SecureNmc.InventoryStress &lt;data folder&gt; &lt;second octet 0-255&gt; &lt;count&gt; [password]
    /// Adds &lt;count&gt; devices 10.&lt;octet&gt;.x.y, each in its own locked read-modify-write transaction,
    /// so two instances run at once interleave their writes as two PowerShell sessions would.
    /// With a password, each device's credential is protected with the data folder's key.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length < 3)
            {
                Console.Error.WriteLine("usage: SecureNmc.InventoryStress <data folder> <second octet> <count> [password]");
                return 2;
            }
            var folder = DataFolder.ForRoot(args[0]);
            int octet = int.Parse(args[1], CultureInfo.InvariantCulture);
            int count = int.Parse(args[2], CultureInfo.InvariantCulture);
            var password = args.Length > 3 ? args[3] : null;
            var inventory = new DeviceInventory(folder, lockTimeout: TimeSpan.FromSeconds(60));
            var protector = password == null ? null : CredentialProtectorFactory.ForCurrentUser(folder);
            int added = 0;

            // Optional start line: both processes report "ready" and begin together when the test
            // creates this file, so their writes surely overlap however slow process start-up is.
            var startFile = Environment.GetEnvironmentVariable("SECURENMC_STRESS_START_FILE");
            Console.WriteLine("ready");
            Console.Out.Flush();
            if (!string.IsNullOrEmpty(startFile))
            {
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (!System.IO.File.Exists(startFile))
                {
                    if (waited.Elapsed > TimeSpan.FromMinutes(2)) { Console.Error.WriteLine("start file never appeared"); return 3; }
                    System.Threading.Thread.Sleep(10);
                }
            }
            try
            {
                for (int i = 0; i < count; i++)
                {
                    var device = new NmcDevice { Host = $"10.{octet}.{i / 250}.{i % 250 + 1}", Name = $"stress-{octet}-{i}" };
                    if (protector != null) protector.SetCredential(device, "apc", password);
                    added += inventory.Add(device).Added.Count;
                }
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"failed after {added} devices: {e.GetType().Name}: {e.Message}");
                return 1;
            }
            Console.WriteLine($"added {added}");
            return 0;
        }
    }
}
