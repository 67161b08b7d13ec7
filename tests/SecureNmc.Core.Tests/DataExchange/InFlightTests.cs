using System;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.DataExchange
{
    /// <summary>
    /// Cards in flight (docs/scale-out.md, "When a worker dies mid-wave"): an export with a worker named
    /// marks the exported cards in the controller's inventory, a plain export marks nothing, a second
    /// hand-over is refused, the worker never sees the mark, the results coming back clear it whatever
    /// the merge decides, and a card can be taken back; marking and clearing never move the revision.
    /// </summary>
    public sealed class InFlightTests : IDisposable
    {
        private static readonly char[] Password = "in flight pass 14".ToCharArray();
        private static readonly DateTimeOffset Noon = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        private readonly LicenceSigner _signer = LicenceSigner.CreateNew();
        private readonly Machine _controller;
        private readonly Machine _worker;

        public InFlightTests()
        {
            _controller = new Machine("controller", _signer.PublicKey);
            _worker = new Machine("worker", _signer.PublicKey);
        }

        public void Dispose()
        {
            _controller.Dispose();
            _worker.Dispose();
            _signer.Dispose();
        }

        private NmcDevice Add(string host) =>
            _controller.AddDevice(host, "UPS " + host, serial: "ZA21010" + host.Replace(".", ""), app: ApplicationType.SU, version: "2.5.0.6");

        private BundleExportResult HandOver(string worker, params NmcDevice[] devices)
        {
            var path = _controller.PathFor("handover-" + Guid.NewGuid().ToString("N") + ".snmc");
            return _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(devices, BundleContent.Devices), Password, force: false, handOverTo: worker, now: Noon);
        }

        private NmcDevice Stored(Guid id) => _controller.Inventory.FindById(id)!;

        [Fact]
        public void A_hand_over_marks_each_exported_card_and_keeps_its_revision()
        {
            var a = Add("10.0.0.1");
            var b = Add("10.0.0.2");
            var other = Add("10.0.0.3");
            var revisions = new[] { Stored(a.Id).Revision, Stored(b.Id).Revision };

            var result = HandOver("  berlin-worker ", a, b);

            Assert.Equal(2, result.Devices);
            foreach (var (id, revision) in new[] { (a.Id, revisions[0]), (b.Id, revisions[1]) })
            {
                var d = Stored(id);
                Assert.True(d.IsInFlight);
                Assert.Equal("berlin-worker", d.HandedOverTo);
                Assert.Equal(Noon, d.HandedOverAt);
                Assert.Equal(revision, d.Revision);
            }
            Assert.False(Stored(other.Id).IsInFlight);
            // The mark is in the file, and survives a re-read.
            var text = File.ReadAllText(_controller.Inventory.FilePath);
            Assert.Contains("\"handedOverTo\": \"berlin-worker\"", text);
            Assert.Contains("\"handedOverAt\": \"2026-12-03T12:00:00.0000000+00:00\"", text);
        }

        [Fact]
        public void A_plain_export_marks_nothing()
        {
            var a = Add("10.0.0.1");
            var before = File.ReadAllBytes(_controller.Inventory.FilePath);
            _controller.Exporter.ExportBundle(_controller.PathFor("copy.snmc"), _controller.Exporter.Select(null, BundleContent.Devices), Password, force: false);
            Assert.False(Stored(a.Id).IsInFlight);
            Assert.Equal(before, File.ReadAllBytes(_controller.Inventory.FilePath));
        }

        [Fact]
        public void A_second_hand_over_of_a_card_in_flight_is_refused_and_writes_nothing()
        {
            var a = Add("10.0.0.1");
            var b = Add("10.0.0.2");
            HandOver("berlin-worker", a);
            var path = _controller.PathFor("again.snmc");

            var e = Assert.Throws<DataExchangeException>(() =>
                _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(new[] { a, b }, BundleContent.Devices), Password, false, "paris-worker"));

            Assert.Equal(DataExchangeError.DeviceInFlight, e.Error);
            Assert.Contains("UPS 10.0.0.1", e.Message);
            Assert.Contains("berlin-worker", e.Message);
            Assert.Contains("2026-12-03 12:00 UTC", e.Message);
            Assert.Contains("Set-NmcDevice -TakeBack", e.Message);
            Assert.False(File.Exists(path));
            Assert.Equal("berlin-worker", Stored(a.Id).HandedOverTo);
            Assert.False(Stored(b.Id).IsInFlight);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("a\tb")]
        public void A_worker_name_that_names_nobody_is_refused(string worker)
        {
            var a = Add("10.0.0.1");
            var e = Assert.Throws<DataExchangeException>(() => HandOver(worker, a));
            Assert.Equal(DataExchangeError.InvalidHandOver, e.Error);
            Assert.False(Stored(a.Id).IsInFlight);
            Assert.Contains("-HandOverTo", e.Message);
            Assert.Contains("at most", DeviceHandOver.ValidateWorker(new string('w', DeviceHandOver.MaxWorkerNameLength + 1), out _));
            Assert.Null(DeviceHandOver.ValidateWorker(" berlin-worker ", out var trimmed));
            Assert.Equal("berlin-worker", trimmed);
        }

        [Fact]
        public void A_hand_over_without_devices_is_refused()
        {
            Add("10.0.0.1");
            var e = Assert.Throws<DataExchangeException>(() =>
                _controller.Exporter.ExportBundle(_controller.PathFor("none.snmc"), _controller.Exporter.Select(null, BundleContent.Firmware), Password, false, "w"));
            Assert.Equal(DataExchangeError.InvalidHandOver, e.Error);
        }

        [Fact]
        public void A_bundle_that_cannot_be_written_marks_nothing()
        {
            var a = Add("10.0.0.1");
            var path = _controller.PathFor("exists.snmc");
            File.WriteAllText(path, "already here");
            var e = Assert.Throws<DataExchangeException>(() => _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(new[] { a }, BundleContent.Devices), Password, false, "w"));
            Assert.Equal(DataExchangeError.FileExists, e.Error);
            Assert.False(Stored(a.Id).IsInFlight);
            Assert.Equal("already here", File.ReadAllText(path));
        }

        [Fact]
        public void The_worker_never_sees_the_mark_and_the_results_clear_it()
        {
            var a = Add("10.0.0.1");
            var path = _controller.PathFor("north.snmc");
            _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(new[] { a }, BundleContent.Devices), Password, false, "north-worker", Noon);
            _worker.Importer.Import(path, Password, ImportConflict.Skip);
            var onWorker = _worker.Inventory.GetAll().Single();
            Assert.False(onWorker.IsInFlight);
            Assert.DoesNotContain("handedOver", File.ReadAllText(_worker.Inventory.FilePath));
            _worker.Inventory.Update(onWorker.Id, d => { d.ApplicationVersion = "2.6.0.2"; d.Status = DeviceStatus.UpdateComplete; });

            var results = _worker.PathFor("results.snmc");
            _worker.Exporter.ExportBundle(results, _worker.Exporter.Select(null, BundleContent.Devices), Password, force: false);
            var import = _controller.Importer.Import(results, Password, ImportConflict.Overwrite);

            var item = Assert.Single(import.Items);
            Assert.Equal(BundleImportAction.Overwritten, item.Action);
            Assert.Contains("no longer in flight", item.Detail);
            var merged = Stored(a.Id);
            Assert.False(merged.IsInFlight);
            Assert.Null(merged.HandedOverAt);
            Assert.Equal("2.6.0.2", merged.ApplicationVersion);
        }

        [Fact]
        public void The_results_clear_the_mark_even_when_they_conflict_or_are_unchanged()
        {
            var changedBoth = Add("10.0.0.1");
            var untouched = Add("10.0.0.2");
            var path = _controller.PathFor("wave.snmc");
            _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(new[] { changedBoth, untouched }, BundleContent.Devices), Password, false, "w", Noon);
            _worker.Importer.Import(path, Password, ImportConflict.Skip);
            var workerCopy = _worker.Inventory.GetAll().Single(d => d.Host == "10.0.0.1");
            _worker.Inventory.Update(workerCopy.Id, d => d.ApplicationVersion = "2.6.0.2");
            // The controller changed two cards itself meanwhile (an edit is allowed, with a warning).
            _controller.Inventory.Update(changedBoth.Id, d => d.Name = "renamed here");
            _controller.Inventory.Update(untouched.Id, d => d.Name = "renamed too");

            var results = _worker.PathFor("results.snmc");
            _worker.Exporter.ExportBundle(results, _worker.Exporter.Select(null, BundleContent.Devices), Password, force: false);
            var import = _controller.Importer.Import(results, Password, ImportConflict.Overwrite);

            Assert.Equal(BundleImportAction.Conflict, import.Items.Single(i => i.Name.Contains("10.0.0.1")).Action);
            Assert.Equal(BundleImportAction.Skipped, import.Items.Single(i => i.Name.Contains("10.0.0.2")).Action);
            Assert.All(import.Items, i => Assert.Contains("no longer in flight", i.Detail));
            Assert.False(Stored(changedBoth.Id).IsInFlight);
            Assert.False(Stored(untouched.Id).IsInFlight);
            Assert.Equal("renamed here", Stored(changedBoth.Id).Name);
        }

        [Fact]
        public void Results_skipped_with_Conflict_Skip_leave_the_card_in_flight_and_say_so()
        {
            var a = Add("10.0.0.1");
            var path = _controller.PathFor("wave.snmc");
            _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(new[] { a }, BundleContent.Devices), Password, false, "w", Noon);
            _worker.Importer.Import(path, Password, ImportConflict.Skip);
            var results = _worker.PathFor("results.snmc");
            _worker.Exporter.ExportBundle(results, _worker.Exporter.Select(null, BundleContent.Devices), Password, force: false);

            var import = _controller.Importer.Import(results, Password, ImportConflict.Skip);

            Assert.Contains("stays in flight", Assert.Single(import.Items).Detail);
            Assert.True(Stored(a.Id).IsInFlight);
        }

        [Fact]
        public void A_plain_bundle_overwriting_a_card_in_flight_keeps_the_mark()
        {
            var a = Add("10.0.0.1");
            var copy = _controller.PathFor("before.snmc");
            _controller.Exporter.ExportBundle(copy, _controller.Exporter.Select(null, BundleContent.Devices), Password, force: false);
            HandOver("w", a);

            _controller.Importer.Import(copy, Password, ImportConflict.Overwrite);

            Assert.Equal("w", Stored(a.Id).HandedOverTo);
        }

        [Fact]
        public void Preview_of_the_results_changes_nothing()
        {
            var a = Add("10.0.0.1");
            var path = _controller.PathFor("wave.snmc");
            _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(new[] { a }, BundleContent.Devices), Password, false, "w", Noon);
            _worker.Importer.Import(path, Password, ImportConflict.Skip);
            var results = _worker.PathFor("results.snmc");
            _worker.Exporter.ExportBundle(results, _worker.Exporter.Select(null, BundleContent.Devices), Password, force: false);

            var preview = _controller.Importer.Preview(results, Password, ImportConflict.Overwrite);

            Assert.Contains("no longer in flight", Assert.Single(preview.Items).Detail);
            Assert.True(Stored(a.Id).IsInFlight);
        }

        [Fact]
        public void Take_back_clears_the_mark_keeps_the_revision_and_lets_late_results_merge()
        {
            var a = Add("10.0.0.1");
            var b = Add("10.0.0.2");
            var path = _controller.PathFor("wave.snmc");
            _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(new[] { a }, BundleContent.Devices), Password, false, "lost-worker", Noon);
            var revision = Stored(a.Id).Revision;

            var taken = DeviceHandOver.TakeBack(_controller.Inventory, new[] { a.Id, b.Id, Guid.NewGuid() });

            var (before, after) = Assert.Single(taken.TakenBack);
            Assert.Equal("lost-worker", before.HandedOverTo);
            Assert.False(after.IsInFlight);
            Assert.Equal(b.Id, Assert.Single(taken.NotInFlight).Id);
            Assert.Single(taken.NotFound);
            Assert.False(Stored(a.Id).IsInFlight);
            Assert.Equal(revision, Stored(a.Id).Revision);
            // The card may be handed over again, to another worker.
            HandOver("other-worker", a);
            Assert.Equal("other-worker", Stored(a.Id).HandedOverTo);
        }

        [Fact]
        public void Status_shown_and_refusal_name_the_worker_and_the_time_and_say_what_to_do()
        {
            var d = new NmcDevice { Host = "10.0.0.1", Name = "UPS 1", Status = DeviceStatus.ReadyForUpdate, HandedOverTo = "berlin-worker", HandedOverAt = Noon };
            var refusal = DeviceHandOver.Refusal(d, "update");
            Assert.Contains("UPS 1 (10.0.0.1) is in flight", refusal);
            Assert.Contains("berlin-worker at 2026-12-03 12:00 UTC", refusal);
            Assert.Contains("Import-NmcBundle -Conflict Overwrite", refusal);
            Assert.Contains("Set-NmcDevice -TakeBack", refusal);

            DeviceHandOver.Present(d);
            Assert.Equal(DeviceStatus.InFlight, d.Status);
            Assert.Equal("In Flight", new DeviceStatusLabel(d.Status).ToString());
            Assert.StartsWith("Handed over to berlin-worker", d.StatusDetail);
            Assert.True(DeviceStatusLabel.Parse("in flight") == DeviceStatus.InFlight);

            var free = new NmcDevice { Host = "10.0.0.2", Status = DeviceStatus.ReadyForUpdate };
            DeviceHandOver.Present(free);
            Assert.Equal(DeviceStatus.ReadyForUpdate, free.Status);
            var (ok, away) = DeviceHandOver.Split(new[] { d, free });
            Assert.Same(free, Assert.Single(ok));
            Assert.Same(d, Assert.Single(away));
            Assert.Equal("1 card(s) in flight (berlin-worker: 1)", DeviceHandOver.Summary(away));
        }

        [Fact]
        public void Removing_a_card_in_flight_warns_that_the_worker_keeps_it_and_its_results_add_it_back()
        {
            var d = new NmcDevice { Host = "10.0.0.1", Name = "UPS 1", HandedOverTo = "berlin-worker", HandedOverAt = Noon };
            var warning = DeviceHandOver.RemovalWarning(d);
            Assert.Contains("UPS 1 (10.0.0.1) is in flight", warning);
            Assert.Contains("berlin-worker at 2026-12-03 12:00 UTC", warning);
            Assert.Contains("does not stop that worker", warning);
            Assert.Contains("adds the card back", warning);
        }

        [Fact]
        public void The_filter_selects_cards_in_flight_or_the_others()
        {
            var away = new NmcDevice { Host = "10.0.0.1", HandedOverTo = "w", HandedOverAt = Noon };
            var here = new NmcDevice { Host = "10.0.0.2" };
            Assert.Same(away, Assert.Single(new DeviceFilter { InFlight = true }.Apply(new[] { away, here })));
            Assert.Same(here, Assert.Single(new DeviceFilter { InFlight = false }.Apply(new[] { away, here })));
            Assert.Equal(2, new DeviceFilter().Apply(new[] { away, here }).Count());
            Assert.False(new DeviceFilter { InFlight = false }.IsEmpty);
        }

        [Fact]
        public void An_inventory_file_without_the_mark_reads_as_not_in_flight_and_the_mark_round_trips()
        {
            var old = "{\"format\": \"SecureNmc.Inventory\", \"version\": 1, \"devices\": [ {\"id\": \"" + Guid.NewGuid().ToString("D") + "\", \"host\": \"10.0.0.1\", \"status\": \"ReadyForUpdate\", \"revision\": 3} ]}";
            var read = InventoryFileFormat.Deserialize(Encoding.UTF8.GetBytes(old)).Single();
            Assert.False(read.IsInFlight);
            Assert.Null(read.HandedOverAt);

            read.HandedOverTo = "w";
            read.HandedOverAt = Noon;
            var again = InventoryFileFormat.Deserialize(InventoryFileFormat.Serialize(new[] { read })).Single();
            Assert.Equal("w", again.HandedOverTo);
            Assert.Equal(Noon, again.HandedOverAt);
            Assert.Equal(3, again.Revision);
        }
    }
}
