using System;
using System.IO;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class LicenceStoreTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "snmc-store-" + Guid.NewGuid().ToString("N"));
        private readonly LicenceSigner _signer = LicenceSigner.CreateNew();

        private LicenceRecord Signed(string serial, long number, DateTime from)
        {
            var r = new LicenceRecord
            {
                RecordId = Guid.NewGuid().ToString("N"), RecordNumber = number, CardSerial = serial, Family = SubscriptionFamily.RackPdu,
                ApplicationType = ApplicationType.RPDU2G, Kind = SubscriptionKind.Included, TermYears = 1,
                ValidFrom = from, TermStartsOn = from, ExpiresOn = SubscriptionRules.TermEnd(from, 1), IssuedAt = DateTimeOffset.UtcNow,
            };
            _signer.Sign(r);
            return r;
        }

        [Fact]
        public void Two_sessions_writing_the_same_store_keep_each_others_records()
        {
            var path = Path.Combine(_folder, "licences.json");
            var first = new LicenceStore(path, _signer.PublicKey);
            var second = new LicenceStore(path, _signer.PublicKey);
            Assert.Null(first.Current("A1"));
            first.Save(Signed("A1", 1, new DateTime(2025, 1, 1)));
            second.Save(Signed("B2", 2, new DateTime(2025, 1, 1)));
            first.Save(Signed("A1", 3, new DateTime(2025, 2, 1)));
            var reader = new LicenceStore(path, _signer.PublicKey);
            Assert.Equal(new[] { "A1", "A1", "B2" }, reader.All().Select(r => r.CardSerial));
            Assert.Equal(3, reader.Current("a1")!.RecordNumber); // the highest issue number is current
            Assert.Empty(reader.Rejected);
            Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        }

        [Fact]
        public void Unverified_records_are_never_written()
        {
            var path = Path.Combine(_folder, "licences.json");
            var store = new LicenceStore(path, _signer.PublicKey);
            var forged = Signed("C3", 1, new DateTime(2025, 1, 1));
            forged.ExpiresOn = new DateTime(2030, 1, 1);
            forged.TermStartsOn = new DateTime(2029, 1, 1);
            var e = Assert.Throws<LicensingException>(() => store.Save(forged));
            Assert.Equal(LicensingErrorCode.SignatureInvalid, e.Code);
            Assert.Contains("C3", e.Message);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public void A_corrupted_store_file_is_reported_with_what_to_do()
        {
            Directory.CreateDirectory(_folder);
            var path = Path.Combine(_folder, "licences.json");
            File.WriteAllText(path, "{\"format\":\"something-else\"}");
            var e = Assert.Throws<LicensingException>(() => new LicenceStore(path, _signer.PublicKey).Current("X"));
            Assert.Equal(LicensingErrorCode.InvalidFile, e.Code);
            Assert.Contains("Move it aside", e.Message);
        }

        public void Dispose()
        {
            _signer.Dispose();
            try { Directory.Delete(_folder, true); } catch (IOException) { }
        }
    }
}
