using System;
using System.Linq;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.DataExchange
{
    /// <summary>
    /// A controller hands a site's cards to a worker in a bundle and takes the worker's results back
    /// (-Conflict Overwrite): the controller learns the new facts, and a card changed on both sides
    /// since the hand-over is a conflict, kept and reported.
    /// </summary>
    public sealed class HandOverTests : IDisposable
    {
        private static readonly char[] Password = "hand over pass 14".ToCharArray();
        private readonly LicenceSigner _signer = LicenceSigner.CreateNew();
        private readonly Machine _controller;
        private readonly Machine _worker;

        public HandOverTests()
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

        private NmcDevice HandOver()
        {
            var device = _controller.AddDevice("10.0.0.1", "UPS 1", serial: "ZA2101000001", app: ApplicationType.SU, version: "2.5.0.6");
            var path = _controller.PathFor("handover.snmc");
            _controller.Exporter.ExportBundle(path, _controller.Exporter.Select(null, BundleContent.Devices), Password, force: false);
            _worker.Importer.Import(path, Password, ImportConflict.Skip);
            return device;
        }

        private BundleImportResult ReturnResults()
        {
            var path = _worker.PathFor("results.snmc");
            _worker.Exporter.ExportBundle(path, _worker.Exporter.Select(null, BundleContent.Devices), Password, force: true);
            return _controller.Importer.Import(path, Password, ImportConflict.Overwrite);
        }

        private static void Updated(Machine machine, Guid id, string version) =>
            machine.Inventory.Update(id, d => { d.ApplicationVersion = version; d.Status = DeviceStatus.UpdateComplete; d.LastQueried = DateTimeOffset.UtcNow; });

        [Fact]
        public void The_controller_learns_what_the_worker_did()
        {
            var device = HandOver();
            Updated(_worker, device.Id, "2.6.0.2");

            var result = ReturnResults();

            Assert.Equal(1, result.Count(BundleItemKind.Device, BundleImportAction.Overwritten));
            var merged = _controller.Inventory.GetAll().Single();
            Assert.Equal("2.6.0.2", merged.ApplicationVersion);
            Assert.Equal(DeviceStatus.UpdateComplete, merged.Status);
            // A second hand-over and return of the same card works from the merged record.
            Assert.Equal(merged.Revision, merged.BaseRevision);
        }

        [Fact]
        public void A_card_changed_on_both_sides_since_the_hand_over_is_a_conflict_and_kept()
        {
            var device = HandOver();
            Updated(_worker, device.Id, "2.6.0.2");
            Updated(_controller, device.Id, "2.7.0.1");

            var result = ReturnResults();

            var item = Assert.Single(result.Items, i => i.Kind == BundleItemKind.Device);
            Assert.Equal(BundleImportAction.Conflict, item.Action);
            Assert.Contains("two places", item.Detail);
            Assert.Contains("SU 2.7.0.1", item.Detail);
            Assert.Contains("SU 2.6.0.2", item.Detail);
            Assert.Equal("2.7.0.1", _controller.Inventory.GetAll().Single().ApplicationVersion);
        }

        [Fact]
        public void A_card_the_worker_did_not_touch_keeps_the_controllers_newer_record()
        {
            var device = HandOver();
            Updated(_controller, device.Id, "2.7.0.1");

            var result = ReturnResults();

            Assert.Equal(1, result.Count(BundleItemKind.Device, BundleImportAction.Skipped));
            Assert.Equal("2.7.0.1", _controller.Inventory.GetAll().Single().ApplicationVersion);
        }

        [Fact]
        public void Every_stored_change_counts_a_revision_and_the_file_keeps_it()
        {
            var device = _controller.AddDevice("10.0.0.9", "UPS 9");
            Updated(_controller, device.Id, "2.6.0.2");
            Updated(_controller, device.Id, "2.6.0.3");
            var stored = _controller.Inventory.GetAll().Single();
            Assert.Equal(2, stored.Revision);
            Assert.Null(stored.BaseRevision);
            stored.BaseRevision = 1;
            var reread = InventoryFileFormat.Deserialize(InventoryFileFormat.Serialize(new[] { stored })).Single();
            Assert.Equal(2, reread.Revision);
            Assert.Equal(1, reread.BaseRevision);
        }

        [Theory]
        [InlineData(5, 5, null, HandOverDecision.NotHandedOver)]
        [InlineData(5, 7, 5L, HandOverDecision.TakeIncoming)]
        [InlineData(6, 5, 5L, HandOverDecision.KeepHere)]
        [InlineData(5, 5, 5L, HandOverDecision.TakeIncoming)]
        [InlineData(6, 7, 5L, HandOverDecision.Conflict)]
        public void Decides_by_the_revisions_on_both_sides(long here, long incoming, long? baseRevision, HandOverDecision expected)
        {
            var id = Guid.NewGuid();
            Assert.Equal(expected, HandOverMerge.Decide(new NmcDevice { Id = id, Revision = here }, new NmcDevice { Id = id, Revision = incoming, BaseRevision = baseRevision }));
            Assert.Equal(HandOverDecision.NotHandedOver, HandOverMerge.Decide(new NmcDevice { Revision = here }, new NmcDevice { Revision = incoming, BaseRevision = 5 }));
        }
    }
}
