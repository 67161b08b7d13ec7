using System;
using System.Text;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class LicenceRecordTrustTests
    {
        private static LicenceRecord NewRecord() => new LicenceRecord
        {
            RecordId = Guid.NewGuid().ToString("N"), RecordNumber = 7, CardSerial = "ZA2401000001", CardMac = "28:29:86:00:00:01",
            Family = SubscriptionFamily.SmartUps, ApplicationType = ApplicationType.SU, Kind = SubscriptionKind.Purchased,
            ActivationId = "AID-0001", PartNumber = "SWNMC3SU-1Y-DIGI", TermYears = 1,
            ValidFrom = new DateTime(2025, 1, 1), TermStartsOn = new DateTime(2025, 1, 1), ExpiresOn = new DateTime(2026, 1, 1),
            IssuedAt = new DateTimeOffset(2025, 1, 1, 9, 0, 0, TimeSpan.Zero), KeyId = "0011223344556677",
        };

        [Fact]
        public void A_signed_record_verifies_with_the_service_key_only()
        {
            using (var signer = LicenceSigner.CreateNew())
            using (var other = LicenceSigner.CreateNew())
            {
                var r = NewRecord();
                signer.Sign(r);
                Assert.True(LicenceVerifier.IsAuthentic(r, signer.PublicKey, out _));
                Assert.False(LicenceVerifier.IsAuthentic(r, other.PublicKey, out var problem));
                Assert.Contains("not by the trusted licensing service key", problem);
            }
        }

        [Fact]
        public void Any_edit_breaks_the_signature()
        {
            using (var signer = LicenceSigner.CreateNew())
            {
                var original = NewRecord();
                signer.Sign(original);
                var edits = new Action<LicenceRecord>[]
                {
                    r => { r.ExpiresOn = new DateTime(2027, 1, 1); r.TermStartsOn = new DateTime(2026, 1, 1); }, // still arithmetically valid
                    r => r.CardSerial = "ZA2401000002",
                    r => r.CardMac = "28:29:86:00:00:02",
                    r => r.ActivationId = "AID-0002",
                    r => r.RecordNumber = 999,
                    r => r.IssuedAt = r.IssuedAt.AddSeconds(1),
                };
                foreach (var edit in edits)
                {
                    var copy = original.Clone();
                    edit(copy);
                    Assert.False(LicenceVerifier.IsAuthentic(copy, signer.PublicKey, out var problem));
                    Assert.Contains("does not match its content", problem);
                }
                var forgedSignature = original.Clone();
                var sig = Convert.FromBase64String(forgedSignature.Signature);
                sig[10] ^= 1;
                forgedSignature.Signature = Convert.ToBase64String(sig);
                Assert.False(LicenceVerifier.IsAuthentic(forgedSignature, signer.PublicKey, out _));
            }
        }

        [Fact]
        public void A_record_from_another_signer_claiming_the_trusted_key_id_is_rejected()
        {
            using (var signer = LicenceSigner.CreateNew())
            using (var forger = LicenceSigner.CreateNew())
            {
                var r = NewRecord();
                forger.Sign(r);
                r.KeyId = signer.PublicKey.KeyId;
                Assert.Throws<LicensingException>(() => LicenceVerifier.Verify(r, signer.PublicKey));
            }
        }

        [Fact]
        public void Canonical_lines_cannot_be_smuggled_through_a_value()
        {
            var r = NewRecord();
            r.ActivationId = "AID-1\nexpiresOn=2099-01-01";
            Assert.Throws<FormatException>(() => r.CanonicalBytes());
            var ok = NewRecord();
            var text = Encoding.UTF8.GetString(ok.CanonicalBytes());
            Assert.StartsWith("snmc-licence/1\nrecordId=", text);
            Assert.Contains("\nexpiresOn=2026-01-01\n", text);
        }

        [Fact]
        public void A_record_whose_expiry_disagrees_with_its_term_is_invalid_even_if_signed()
        {
            var r = NewRecord();
            r.ExpiresOn = new DateTime(2026, 1, 2);
            Assert.Throws<FormatException>(() => r.Validate());
        }

        [Fact]
        public void Trusted_key_text_round_trips_and_rejects_junk()
        {
            using (var signer = LicenceSigner.CreateNew())
            {
                var text = signer.PublicKey.ToBase64();
                var parsed = TrustedServiceKey.Parse(text);
                Assert.Equal(signer.PublicKey.KeyId, parsed.KeyId);
                Assert.Throws<FormatException>(() => TrustedServiceKey.Parse("not base64!"));
                Assert.Throws<FormatException>(() => TrustedServiceKey.Parse(Convert.ToBase64String(new byte[33])));
                var offCurve = Convert.FromBase64String(text);
                offCurve[64] ^= 1;
                Assert.Throws<FormatException>(() => TrustedServiceKey.Parse(Convert.ToBase64String(offCurve)));
            }
        }

        [Fact]
        public void A_rehearsal_key_can_be_exported_and_reloaded()
        {
            using (var signer = LicenceSigner.CreateNew())
            using (var again = LicenceSigner.FromPrivateKey(signer.ExportPrivateKey()))
            {
                var r = NewRecord();
                again.Sign(r);
                Assert.True(LicenceVerifier.IsAuthentic(r, signer.PublicKey, out _));
            }
        }
    }
}
