using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using SecureNmc.Core.Bundles;
using static SecureNmc.Core.Tests.Bundles.BundleTestSupport;

namespace SecureNmc.Core.Tests.Bundles
{
    public sealed class BundleRoundTripTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private (byte[] Bundle, byte[] Devices, byte[] Firmware) MakeBundle(char[]? password)
        {
            var devices = Encoding.UTF8.GetBytes("[{\"host\":\"10.0.0.1\",\"password\":\"s3cret-device-pw\"}]" + new string(' ', 3000));
            var firmware = RandomNumberGenerator.GetBytes(5000);
            var firmwarePath = Path.Combine(_temp.Path, "apc_hw21_su_2.5.0.6.nmc3");
            File.WriteAllBytes(firmwarePath, firmware);
            var output = new MemoryStream();
            BundleWriter.Write(output, new[]
            {
                new BundlePartSource("devices.json", BundlePartKind.Devices, devices),
                new BundlePartSource("apc_hw21_su_2.5.0.6.nmc3", BundlePartKind.Firmware, firmwarePath),
                new BundlePartSource("empty.json", BundlePartKind.Licences, Array.Empty<byte>()),
            }, password, CheapCost, chunkSize: 1024);
            return (output.ToArray(), devices, firmware);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public void Parts_come_back_byte_identical(bool encrypted)
        {
            var (bundle, devices, firmware) = MakeBundle(encrypted ? Password : null);
            using var verified = BundleReader.Read(new MemoryStream(bundle), encrypted ? Password : null, _temp.Path);
            Assert.Equal(encrypted, verified.Encrypted);
            Assert.Equal(new[] { "devices.json", "apc_hw21_su_2.5.0.6.nmc3", "empty.json" }, verified.Parts.Select(p => p.Name));
            Assert.Equal(devices, verified.Parts[0].ReadAllBytes());
            Assert.Equal(firmware, verified.Parts[1].ReadAllBytes());
            Assert.Equal(BundlePartKind.Firmware, verified.Parts[1].Kind);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(firmware)).ToLowerInvariant(), verified.Parts[1].Sha256Hex);
            Assert.Empty(verified.Parts[2].ReadAllBytes());
        }

        [Fact]
        public void Encrypted_bundle_does_not_contain_the_plaintext()
        {
            var (bundle, _, _) = MakeBundle(Password);
            var text = Encoding.UTF8.GetString(bundle);
            Assert.DoesNotContain("s3cret-device-pw", text);
            Assert.DoesNotContain("devices.json", text);
            Assert.DoesNotContain("10.0.0.1", text);
        }

        [Fact]
        public void Staging_folder_is_removed_on_dispose()
        {
            var (bundle, _, _) = MakeBundle(Password);
            string staged;
            using (var verified = BundleReader.Read(new MemoryStream(bundle), Password, _temp.Path))
            {
                staged = verified.Parts[0].StagedPath;
                Assert.True(File.Exists(staged));
            }
            Assert.False(File.Exists(staged));
            Assert.Empty(Directory.GetDirectories(_temp.Path));
        }

        [Fact]
        public void Same_content_encrypts_differently_each_time()
        {
            var a = MakeBundle(Password).Bundle;
            var b = MakeBundle(Password).Bundle;
            Assert.NotEqual(a.Skip(40).Take(64), b.Skip(40).Take(64));
        }

        [Fact]
        public void Writer_refuses_unsafe_and_duplicate_names()
        {
            var ex = Assert.Throws<ArgumentException>(() => BundleWriter.Write(new MemoryStream(),
                new[] { new BundlePartSource("../x", BundlePartKind.Devices, new byte[1]) }, null, CheapCost));
            Assert.Contains("..", ex.Message);
            Assert.Throws<ArgumentException>(() => BundleWriter.Write(new MemoryStream(), new[]
            {
                new BundlePartSource("a.json", BundlePartKind.Devices, new byte[1]),
                new BundlePartSource("A.json", BundlePartKind.Devices, new byte[1]),
            }, null, CheapCost));
        }
    }
}
