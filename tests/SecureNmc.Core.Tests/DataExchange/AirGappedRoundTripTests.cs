using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using CsvHelper;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Query;
using SecureNmc.Core.Security;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Fleet;
using SecureNmc.Simulator.Licensing;
using SecureNmc.Simulator.Transport;

namespace SecureNmc.Core.Tests.DataExchange
{
    /// <summary>
    /// The seed's air-gapped scenario end to end, between two separate data folders: machine A (with
    /// internet) holds the devices with their credentials, the licences and the firmware; a password-protected
    /// bundle carries them to machine B; B updates simulated cards (the real update engine over the
    /// simulator's in-process transport, gated by the imported licences, logging in with the imported
    /// credentials); the results travel back to A as CSV and as a bundle.
    /// </summary>
    public sealed class AirGappedRoundTripTests : IDisposable
    {
        private static readonly char[] BundlePassword = "air gap crossing 2026".ToCharArray();
        private readonly SimulatedFleet _fleet = new SimulatedFleet(new SimulatorClock(0));
        private readonly InProcessCardTransport _transport;
        private readonly DeviceQueryService _query;
        private readonly LicenceSigner _signer = LicenceSigner.CreateNew();
        private readonly Machine _a;
        private readonly Machine _b;
        private readonly TestSupport.TempFolder _work = new TestSupport.TempFolder();

        public AirGappedRoundTripTests()
        {
            _transport = new InProcessCardTransport(_fleet);
            _query = new DeviceQueryService(new IFileTransferClient[] { _transport }, new DeviceQueryOptions { MaxConcurrency = 4 });
            _a = new Machine("online", _signer.PublicKey);
            _b = new Machine("airgapped", _signer.PublicKey);
        }

        public void Dispose()
        {
            _fleet.Dispose();
            _a.Dispose();
            _b.Dispose();
            _work.Dispose();
            _signer.Dispose();
        }

        [Fact]
        public async Task Export_on_A_import_on_B_update_from_B_and_bring_the_results_back_to_A()
        {
            // Three cards on 2.5.0.6; on A they are queried, stored with the administrator's credential,
            // licensed, and the 2.6.0.1 firmware for their types is downloaded into A's cache.
            var cards = _fleet.AddCards(3, i => { var p = CardProfile.ForFleetMember(i); p.ApplicationVersion = p.AosVersion = "2.5.0.6"; return p; }, CardTiming.Instant);
            var admin = SimulatedFleet.AdministratorCredential;
            var devices = cards.Select(c => new NmcDevice { Host = c.Host, Port = c.SshPort, Name = c.Name }).ToList();
            var queried = await Within(_query.RefreshAsync(devices, _ => admin));
            Assert.All(queried, r => Assert.True(r.Succeeded, r.ToString()));
            foreach (var d in devices) _a.Protector.SetCredential(d, admin.UserName, admin.Password);
            _a.Inventory.Add(devices);
            foreach (var d in devices) _a.Stores.Licences!.Save(Licences.Signed(_signer, d.SerialNumber!, d.ApplicationType!.Value));
            foreach (var type in devices.Select(d => d.ApplicationType!.Value).Distinct())
                _a.Stores.Firmware.Import(SimulatorFirmwarePackage.Create(_work.Sub("downloads"), type, "2.6.0.2", "2.6.0.1", bootloaderVersion: "1.6.0.1", payloadBytes: 16 * 1024));

            // A -> B: one password-protected bundle.
            var toB = Path.Combine(_work.Path, "to-airgap.snmc");
            var exported = _a.Exporter.ExportBundle(toB, _a.Exporter.Select(null, BundleContent.All), BundlePassword, force: false);
            Assert.True(exported.Encrypted);
            Assert.Equal(3, exported.DevicesWithCredentials);
            var imported = _b.Importer.Import(toB, BundlePassword, ImportConflict.Skip);
            Assert.Equal(3, imported.Count(BundleItemKind.Device, BundleImportAction.Added));
            Assert.Equal(3, imported.Count(BundleItemKind.Licence, BundleImportAction.Added));

            // B updates the cards with what it imported: its inventory, its credentials, its licences, its cache.
            var onB = _b.Inventory.GetAll();
            var plans = new UpdatePlanner(_b.Stores.Firmware.GetCatalog(), new SubscriptionGate(_b.Stores.Licences!)).PlanAll(onB, new UpdatePlanOptions());
            Assert.All(plans, p => Assert.NotEqual(DeviceStatus.ActivateSubscriptionToUpdate, p.Status));
            var results = await Within(Engine(_b).RunAsync(plans));
            Assert.All(results, r => Assert.True(r.Status == DeviceStatus.UpdateComplete, r.ToString()));
            Assert.All(cards, c => Assert.Equal("2.6.0.1", c.Profile.ApplicationVersion));

            // B records the results (re-query for the facts, the engine's status) ...
            var refreshed = _b.Inventory.GetAll().ToList();
            await Within(_query.RefreshAsync(refreshed, d => _b.Protector.GetCredential(d)));
            foreach (var d in refreshed)
            {
                d.Status = results.Single(r => r.DeviceId == d.Id).Status;
                _b.Inventory.Save(d);
            }

            // ... and B -> A: a CSV for the record, and a bundle of the devices that A imports over its own.
            var csv = Path.Combine(_work.Path, "results.csv");
            _b.Exporter.ExportCsv(csv, null, force: false);
            using (var reader = new StreamReader(csv))
            using (var parser = CsvReader.Create(reader, new CsvReaderOptions { Separator = ',', HasHeader = true }))
            {
                var rows = new List<Dictionary<string, string>>();
                while (parser.Read()) rows.Add(parser.Headers.ToDictionary(h => h, h => parser.GetString(h)));
                Assert.Equal(3, rows.Count);
                Assert.All(rows, r => Assert.Equal("2.6.0.1", r["ApplicationVersion"]));
                Assert.All(rows, r => Assert.Equal(DeviceStatus.UpdateComplete.ToText(), r["Status"]));
            }
            Assert.False(Bytes.Contains(File.ReadAllBytes(csv), admin.Password));

            var toA = Path.Combine(_work.Path, "results.snmc");
            _b.Exporter.ExportBundle(toA, _b.Exporter.Select(null, BundleContent.Devices), BundlePassword, force: false);
            var back = _a.Importer.Import(toA, BundlePassword, ImportConflict.Overwrite);
            Assert.Equal(3, back.Count(BundleItemKind.Device, BundleImportAction.Overwritten));
            foreach (var d in _a.Inventory.GetAll())
            {
                Assert.Equal("2.6.0.1", d.ApplicationVersion);
                Assert.Equal(DeviceStatus.UpdateComplete, d.Status);
                Assert.Equal(admin.Password, _a.Protector.GetCredential(d)!.Password);
            }
            Assert.Equal(3, _a.Inventory.GetAll().Count);
        }

        private FirmwareUpdateEngine Engine(Machine machine) => new FirmwareUpdateEngine(
            new TransferClientSessionFactory(_ => _transport, d => new ConnectionOptions
            {
                Host = d.Host,
                Port = d.Port,
                Credential = machine.Protector.GetCredential(d),
                ConnectTimeout = TimeSpan.FromSeconds(20),
                OperationTimeout = TimeSpan.FromSeconds(20),
            }),
            new DeviceQueryVersionReader(_query, d => machine.Protector.GetCredential(d)),
            machine.Stores.Firmware,
            new UpdateEngineOptions
            {
                ThrottleLimit = 4,
                MaxAttempts = 2,
                BackupFolder = machine.Folder.BackupFolder,
                JournalPath = Path.Combine(machine.Folder.JournalFolder, "journal.jsonl"),
                DurableJournal = false,
            },
            new FastClock());

        private static async Task<T> Within<T>(Task<T> task)
        {
            var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(120)));
            Assert.True(done == task, "the operation did not finish within the test's time limit");
            return await task;
        }

        /// <summary>Virtual time for the engine's waits, with a real millisecond per wait so the simulator's tasks run.</summary>
        private sealed class FastClock : IUpdateClock
        {
            private long _ticks = DateTimeOffset.UtcNow.UtcTicks;
            public DateTimeOffset UtcNow => new DateTimeOffset(Interlocked.Read(ref _ticks), TimeSpan.Zero);

            public async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
            {
                Interlocked.Add(ref _ticks, Math.Max(0, delay.Ticks));
                await Task.Delay(1, cancellationToken);
            }
        }
    }
}
