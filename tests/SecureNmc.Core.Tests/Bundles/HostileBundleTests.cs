using System;
using System.IO;
using System.Linq;
using System.Text;
using SecureNmc.Core.Bundles;
using static SecureNmc.Core.Tests.Bundles.BundleTestSupport;

namespace SecureNmc.Core.Tests.Bundles
{
    /// <summary>
    /// Every hostile bundle ends in a BundleException naming the problem, and leaves nothing
    /// staged behind (so an importer built on the reader changes nothing).
    /// </summary>
    public sealed class HostileBundleTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private BundleException Refused(byte[] bundle, char[]? password = null, BundleLimits? limits = null)
        {
            var ex = Assert.Throws<BundleException>(() => BundleReader.Read(new MemoryStream(bundle), password, _temp.Path, limits).Dispose());
            Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
            return ex;
        }

        private static byte[] Valid(char[]? password)
        {
            var output = new MemoryStream();
            BundleWriter.Write(output, new[]
            {
                new BundlePartSource("devices.json", BundlePartKind.Devices, Encoding.UTF8.GetBytes(new string('d', 2500))),
                new BundlePartSource("licences.json", BundlePartKind.Licences, Encoding.UTF8.GetBytes("[]")),
            }, password, CheapCost, chunkSize: 1024);
            return output.ToArray();
        }

        [Fact]
        public void Wrong_password_is_named_as_such()
        {
            var ex = Refused(Valid(Password), "not the password".ToCharArray());
            Assert.Equal(BundleError.WrongPassword, ex.Error);
            Assert.Contains("password", ex.Message);
        }

        [Fact]
        public void Missing_password_is_asked_for()
        {
            Assert.Equal(BundleError.PasswordRequired, Refused(Valid(Password), null).Error);
        }

        [Fact]
        public void Not_a_bundle()
        {
            Assert.Equal(BundleError.NotABundle, Refused(Encoding.ASCII.GetBytes("host,port\r\n10.0.0.1,22\r\n")).Error);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Truncated_at_every_length_is_refused(bool encrypted)
        {
            var bundle = Valid(encrypted ? Password : null);
            for (int length = 0; length < bundle.Length; length++)
            {
                var ex = Refused(bundle.Take(length).ToArray(), encrypted ? Password : null);
                Assert.True(ex.Error == BundleError.Truncated || ex.Error == BundleError.Tampered || ex.Error == BundleError.NotABundle,
                    $"length {length}: {ex.Error} {ex.Message}");
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void A_flipped_bit_anywhere_is_refused(bool encrypted)
        {
            var bundle = Valid(encrypted ? Password : null);
            for (int i = 0; i < bundle.Length; i++)
            {
                var copy = (byte[])bundle.Clone();
                copy[i] ^= 0x04;
                Refused(copy, encrypted ? Password : null);
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Bytes_appended_after_the_end_are_refused(bool encrypted)
        {
            var bundle = Valid(encrypted ? Password : null).Concat(new byte[] { 0, 1, 2 }).ToArray();
            Assert.Equal(BundleError.Tampered, Refused(bundle, encrypted ? Password : null).Error);
        }

        [Theory]
        [InlineData("../../etc/passwd")]
        [InlineData("..")]
        [InlineData("firmware/evil.nmc3")]
        [InlineData("..\\..\\Windows\\evil.dll")]
        [InlineData("C:evil")]
        [InlineData("CON.json")]
        [InlineData(".hidden")]
        [InlineData("name with spaces")]
        public void Path_traversal_and_unsafe_names_are_refused(string name)
        {
            var bundle = Forge(new[] { Plain(name, new byte[] { 1, 2, 3 }) }, Password);
            Assert.Equal(BundleError.UnsafeName, Refused(bundle, Password).Error);
        }

        [Fact]
        public void Duplicated_entries_are_refused()
        {
            var bundle = Forge(new[] { Plain("devices.json", new byte[] { 1 }), Plain("DEVICES.json", new byte[] { 2 }) }, Password);
            Assert.Equal(BundleError.DuplicateEntry, Refused(bundle, Password).Error);
        }

        [Fact]
        public void Endlessly_compressing_part_is_stopped_at_its_declared_size()
        {
            var bomb = new byte[50 * 1024 * 1024];
            var entry = new ForgedEntry { Name = "devices.json", Compression = 1, Stored = Deflate(bomb), DeclaredLength = 1000, ActualContent = bomb.Take(1000).ToArray() };
            var ex = Refused(Forge(new[] { entry }, Password), Password);
            Assert.Equal(BundleError.TooLarge, ex.Error);
            Assert.Contains("expands beyond", ex.Message);
        }

        [Fact]
        public void Oversized_declared_part_is_refused_before_reading_it()
        {
            var entry = new ForgedEntry { Name = "apc_hw21_su_9.9.9.9.nmc3", Kind = BundlePartKind.Firmware, Stored = new byte[10], DeclaredLength = 1UL << 40, DeclaredStoredLength = 1UL << 40 };
            Assert.Equal(BundleError.TooLarge, Refused(Forge(new[] { entry }, Password), Password).Error);
        }

        [Fact]
        public void Absurd_part_count_is_refused()
        {
            var bundle = Forge(new[] { Plain("devices.json", new byte[1]) }, Password, declaredCount: uint.MaxValue);
            Assert.Equal(BundleError.TooLarge, Refused(bundle, Password).Error);
        }

        [Fact]
        public void Part_that_does_not_match_its_hash_is_refused()
        {
            var entry = Plain("devices.json", Encoding.UTF8.GetBytes("real"));
            entry.DeclaredSha256 = new byte[32];
            var ex = Refused(Forge(new[] { entry }, Password), Password);
            Assert.Equal(BundleError.Tampered, ex.Error);
            Assert.Contains("SHA-256", ex.Message);
        }

        [Fact]
        public void Part_shorter_than_declared_is_refused()
        {
            var entry = Plain("devices.json", Encoding.UTF8.GetBytes("abc"));
            entry.DeclaredLength = 4;
            entry.DeclaredStoredLength = 4;
            Refused(Forge(new[] { entry }, Password), Password);
        }

        [Fact]
        public void Missing_end_marker_is_refused()
        {
            Refused(Forge(new[] { Plain("devices.json", new byte[] { 1 }) }, Password, endMarker: false), Password);
        }

        [Fact]
        public void Hostile_key_derivation_cost_is_refused_without_deriving()
        {
            var bundle = Valid(Password);
            bundle[11] = 31; // log2(N) byte: 2^31 would need terabytes of memory
            var ex = Refused(bundle, Password);
            Assert.Equal(BundleError.TooLarge, ex.Error);
        }

        [Theory]
        [InlineData(20, 16, 4)] // each parameter at its own ceiling: 2 GiB and 2^26 work (6.5 GB and 48 s before the fix)
        [InlineData(20, 4, 1)]  // 512 MiB of memory
        [InlineData(18, 8, 4)]  // memory within the bound, work 2^23
        public void A_header_within_each_parameter_ceiling_but_too_costly_in_total_is_refused_before_deriving(int logN, int r, int p)
        {
            var bundle = Valid(Password);
            bundle[11] = (byte)logN;
            bundle[12] = (byte)r;
            bundle[13] = (byte)p;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var ex = Refused(bundle, Password);
            Assert.Equal(BundleError.TooLarge, ex.Error);
            Assert.Contains("outside what this module accepts", ex.Message);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 16 * 1024 * 1024, "the refusal derived a key first");
        }

        [Fact]
        public void The_most_costly_header_accepted_needs_at_most_256_MiB()
        {
            var limits = BundleLimits.Default;
            Assert.Null(limits.ScryptProblem(18, 8, 2));
            Assert.Null(limits.ScryptProblem(17, 8, 1)); // the default Export-NmcBundle writes
            // Over every accepted combination, memory and work stay within the documented bounds.
            for (int logN = 10; logN <= limits.MaxScryptLogN; logN++)
                for (int r = 1; r <= limits.MaxScryptR; r++)
                    for (int p = 1; p <= limits.MaxScryptP; p++)
                        if (limits.ScryptProblem(logN, r, p) == null)
                        {
                            Assert.True(128L * r * (1L << logN) <= 256L * 1024 * 1024);
                            Assert.True((1L << logN) * r * p <= 1L << 22);
                        }
        }

        [Fact]
        public void Unsupported_version_says_what_to_do()
        {
            var bundle = Valid(null);
            bundle[8] = 9;
            var ex = Refused(bundle);
            Assert.Equal(BundleError.UnsupportedVersion, ex.Error);
            Assert.Contains("Update SecureNmc", ex.Message);
        }
    }
}
