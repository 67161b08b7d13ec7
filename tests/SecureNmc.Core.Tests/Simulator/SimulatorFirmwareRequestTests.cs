using System.IO;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Firmware;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>What New-NmcSimulatorFirmware turns its parameters into: checked requests and idempotent package files.</summary>
    public sealed class SimulatorFirmwareRequestTests
    {
        [Fact]
        public void A_package_per_type_reads_back_with_the_requested_versions()
        {
            var dir = SimulatorTestKit.TempDirectory();
            try
            {
                var request = new SimulatorFirmwareRequest { Folder = dir, ApplicationVersion = "2.9.0.2", BootloaderVersion = "1.6.0.1" };
                Assert.Empty(request.Validate());
                var written = request.Write(ApplicationType.RPDU2G, overwrite: false);
                Assert.False(written.AlreadyPresent);
                Assert.Equal(Path.Combine(dir, "apc_hw21_rpdu2g_2.9.0.2.nmc3"), written.Path);
                var package = SimulatorFirmwarePackage.TryRead(File.ReadAllBytes(written.Path), out var problem);
                Assert.Null(problem);
                Assert.Equal(ApplicationType.RPDU2G, package!.ApplicationType);
                Assert.Equal("2.9.0.2", package.ApplicationVersion);
                Assert.Equal("2.9.0.2", package.AosVersion); // no -AosVersion: the application version
                Assert.Equal("1.6.0.1", package.BootloaderVersion);

                var withAos = new SimulatorFirmwareRequest { Folder = dir, ApplicationVersion = "2.9.0.1", AosVersion = "2.9.0.2", BootloaderVersion = "" };
                var other = SimulatorFirmwarePackage.TryRead(File.ReadAllBytes(withAos.Write(ApplicationType.SU, false).Path), out _);
                Assert.Equal("2.9.0.2", other!.AosVersion);
                Assert.Equal("2.9.0.1", other.ApplicationVersion);
                Assert.False(other.CarriesBootloader);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void Writing_again_keeps_an_identical_file_and_never_replaces_a_different_one_unless_asked()
        {
            var dir = SimulatorTestKit.TempDirectory();
            try
            {
                var request = new SimulatorFirmwareRequest { Folder = dir, ApplicationVersion = "2.9.0.2" };
                var first = request.Write(ApplicationType.SU, false);
                Assert.True(request.Write(ApplicationType.SU, false).AlreadyPresent);

                File.WriteAllText(first.Path, "a real vendor download");
                var ex = Assert.Throws<IOException>(() => request.Write(ApplicationType.SU, overwrite: false));
                Assert.Contains(first.Path, ex.Message);
                Assert.Contains("-Force", ex.Message);
                Assert.Equal("a real vendor download", File.ReadAllText(first.Path));

                Assert.False(request.Write(ApplicationType.SU, overwrite: true).AlreadyPresent);
                Assert.NotNull(SimulatorFirmwarePackage.TryRead(File.ReadAllBytes(first.Path), out _));
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void Every_bad_value_is_named()
        {
            var missing = Path.Combine(Path.GetTempPath(), "securenmc-no-such-folder-" + System.Guid.NewGuid().ToString("N"));
            var problems = new SimulatorFirmwareRequest
            {
                Folder = missing,
                ApplicationVersion = "latest",
                AosVersion = "2.9",
                BootloaderVersion = "v1.6.0.1",
                HardwareCode = "hw/21",
            }.Validate();
            Assert.Contains(problems, p => p.Contains("-Version 'latest'") && p.Contains("such as 2.9.0.2"));
            Assert.Contains(problems, p => p.Contains("-AosVersion '2.9'"));
            Assert.Contains(problems, p => p.Contains("-BootloaderVersion 'v1.6.0.1'"));
            Assert.Contains(problems, p => p.Contains("-Hardware 'hw/21'"));
            Assert.Contains(problems, p => p.Contains($"The folder '{missing}' does not exist"));
            Assert.False(Directory.Exists(missing));
        }

        [Fact]
        public void A_file_given_as_the_folder_is_refused()
        {
            var file = Path.GetTempFileName();
            try
            {
                Assert.Contains(new SimulatorFirmwareRequest { Folder = file, ApplicationVersion = "2.9.0.2" }.Validate(), p => p.Contains("is a file, not a folder"));
            }
            finally { File.Delete(file); }
        }

        [Theory]
        [InlineData("SU", ApplicationType.SU)]
        [InlineData("rpdu2g", ApplicationType.RPDU2G)]
        [InlineData(" Eu1p ", ApplicationType.EU1P)]
        public void Application_types_are_read_by_name_or_file_code(string text, ApplicationType expected)
        {
            Assert.True(SimulatorFirmwareRequest.TryParseApplicationType(text, out var type, out var problem));
            Assert.Equal(expected, type);
            Assert.Null(problem);
        }

        [Theory]
        [InlineData("Bogus", "'Bogus' is not an NMC3 application type. Use one of SU, SY")]
        [InlineData("sumx", "'sumx' is an NMC2 application")]
        [InlineData("", "run Update-NmcDevice first")]
        [InlineData(null, "run Update-NmcDevice first")]
        public void Unusable_application_types_say_why(string? text, string expected)
        {
            Assert.False(SimulatorFirmwareRequest.TryParseApplicationType(text, out _, out var problem));
            Assert.Contains(expected, problem);
        }
    }
}
