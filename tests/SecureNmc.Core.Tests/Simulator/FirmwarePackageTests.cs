using System.IO;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Firmware;

namespace SecureNmc.Core.Tests.Simulator
{
    public class FirmwarePackageTests
    {
        [Fact]
        public void Create_writes_a_vendor_style_file_name_that_reads_back()
        {
            var dir = SimulatorTestKit.TempDirectory();
            try
            {
                var path = SimulatorFirmwarePackage.Create(dir, ApplicationType.SU, "2.6.0.4", "2.6.0.3", bootloaderVersion: "1.6.0.1", payloadBytes: 10_000);
                Assert.Equal("apc_hw21_su_2.6.0.3.nmc3", Path.GetFileName(path));
                var package = SimulatorFirmwarePackage.TryRead(File.ReadAllBytes(path), out var problem);
                Assert.Null(problem);
                Assert.Equal("hw21", package!.HardwareCode);
                Assert.Equal(ApplicationType.SU, package.ApplicationType);
                Assert.Equal("2.6.0.4", package.AosVersion);
                Assert.Equal("2.6.0.3", package.ApplicationVersion);
                Assert.True(package.CarriesBootloader);
                Assert.Equal("1.6.0.1", package.BootloaderVersion);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void A_package_without_bootloader_says_so()
        {
            var bytes = new SimulatorFirmwarePackage("hw21", ApplicationType.RPDU2G, "2.6.0.4", "2.6.0.3", null).ToBytes(100);
            var package = SimulatorFirmwarePackage.TryRead(bytes, out _);
            Assert.False(package!.CarriesBootloader);
            Assert.Equal("apc_hw21_rpdu2g_2.6.0.3.nmc3", package.FileName);
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        public void An_empty_bootloader_version_means_none_as_PowerShell_passes_null(string none)
        {
            // [SimulatorFirmwarePackage]::Create($dir, $type, '2.9.0.2', '2.9.0.1', $null, ...) arrives here as "".
            var dir = SimulatorTestKit.TempDirectory();
            try
            {
                var path = SimulatorFirmwarePackage.Create(dir, ApplicationType.SU, "2.9.0.2", "2.9.0.1", none, "hw21", 1000);
                var package = SimulatorFirmwarePackage.TryRead(File.ReadAllBytes(path), out var problem);
                Assert.Null(problem);
                Assert.False(package!.CarriesBootloader);
                Assert.Null(package.BootloaderVersion);
                Assert.False(new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.9.0.2", "2.9.0.1", none).CarriesBootloader);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void Any_flipped_byte_fails_the_integrity_check()
        {
            var bytes = new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", null).ToBytes(4096);
            foreach (var position in new[] { 9, 40, bytes.Length / 2, bytes.Length - 40, bytes.Length - 1 })
            {
                var copy = (byte[])bytes.Clone();
                copy[position] ^= 0x01;
                Assert.Null(SimulatorFirmwarePackage.TryRead(copy, out var problem));
                Assert.Contains("integrity", problem);
            }
        }

        [Fact]
        public void Truncated_and_foreign_files_are_refused()
        {
            var bytes = new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", null).ToBytes(4096);
            Assert.Null(SimulatorFirmwarePackage.TryRead(bytes[..1000], out var truncated));
            Assert.NotNull(truncated);
            Assert.Null(SimulatorFirmwarePackage.TryRead(System.Text.Encoding.ASCII.GetBytes("MZ this is a Windows program"), out var foreign));
            Assert.Contains("not a firmware package", foreign);
            Assert.Null(SimulatorFirmwarePackage.TryRead(new byte[0], out _));
        }

        [Fact]
        public void Bad_versions_are_refused_by_the_maker()
        {
            Assert.Throws<System.ArgumentException>(() => new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "latest", "2.6.0.3", null));
            Assert.Throws<System.ArgumentException>(() => new SimulatorFirmwarePackage("hw/21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", null));
        }
    }
}

namespace SecureNmc.Core.Tests.Simulator
{
    public class FirmwarePackageFuzzTests
    {
        [Fact]
        public void Reading_mutated_packages_never_throws_and_never_accepts_a_changed_file()
        {
            var original = new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", "1.6.0.1").ToBytes(2048);
            var random = new System.Random(4242);
            for (int i = 0; i < 2000; i++)
            {
                var copy = (byte[])original.Clone();
                int edits = 1 + random.Next(4);
                for (int e = 0; e < edits; e++) copy[random.Next(copy.Length)] ^= (byte)(1 + random.Next(255));
                if (random.Next(4) == 0) System.Array.Resize(ref copy, random.Next(copy.Length));
                var package = SimulatorFirmwarePackage.TryRead(copy, out var problem);
                Assert.Null(package);
                Assert.False(string.IsNullOrEmpty(problem));
            }
        }
    }
}
