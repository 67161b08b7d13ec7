// Runs one firmware update with the production engine over real SCP, the way Invoke-NmcFirmwareUpdate
// does, so a test can kill this process mid-run and check what a resumed run does.
// Usage: dotnet SecureNmc.UpdateRunner.dll <firmware cache> <journal> <backup folder> <known_hosts> <devices file> <throttle>
// Devices file: one card per line, "id|name|host|port|application type|application version|aos version".
// The card credential comes from SECURENMC_RUNNER_USER / SECURENMC_RUNNER_PASSWORD (never the command line).
using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Query;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;

var inv = CultureInfo.InvariantCulture;
var library = new FirmwareLibrary(args[0]);
var credential = new NetworkCredential(Environment.GetEnvironmentVariable("SECURENMC_RUNNER_USER"), Environment.GetEnvironmentVariable("SECURENMC_RUNNER_PASSWORD"));
var devices = File.ReadAllLines(args[4]).Where(l => l.Length > 0).Select(line =>
{
    var f = line.Split('|');
    return new NmcDevice
    {
        Id = Guid.Parse(f[0]), Name = f[1], Host = f[2], Port = int.Parse(f[3], inv),
        ApplicationType = Enum.Parse<ApplicationType>(f[4]), ApplicationVersion = f[5], AosVersion = f[6],
    };
}).ToList();
var throttle = int.Parse(args[5], inv);
var scp = new ScpFileTransferClient();
var query = new DeviceQueryService(new IFileTransferClient[] { scp }, new DeviceQueryOptions { KnownHostsPath = args[3], ReadEventLog = false, ReadDataLog = false });
var engine = new FirmwareUpdateEngine(
    new TransferClientSessionFactory(_ => scp, d => new ConnectionOptions { Host = d.Host, Port = d.Port, Credential = credential, Ssh = new SshClientOptions { KnownHostsPath = args[3] } }),
    new DeviceQueryVersionReader(query, _ => credential), library,
    new UpdateEngineOptions
    {
        ThrottleLimit = throttle, BackupFolder = args[2], JournalPath = args[1], DurableJournal = true,
        RestartPollInitial = TimeSpan.FromMilliseconds(100), RestartPollMax = TimeSpan.FromMilliseconds(300),
        RetryDelayInitial = TimeSpan.FromMilliseconds(100), RetryDelayMax = TimeSpan.FromMilliseconds(300),
    });
var plans = new UpdatePlanner(library.GetCatalog()).PlanAll(devices, new UpdatePlanOptions());
var run = engine.Start(plans);
Console.WriteLine("started");
var results = run.Completion.GetAwaiter().GetResult();
Console.WriteLine("finished " + results.Count(r => r.Status == DeviceStatus.UpdateComplete));
return 0;
