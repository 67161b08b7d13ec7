using System;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;

namespace SecureNmc.Core.Tests.Firmware
{
    public class FirmwarePackageNameTests
    {
        [Fact]
        public void Parses_hardware_application_and_version_from_the_vendor_name()
        {
            var name = FirmwarePackageName.Parse("apc_hw21_su_2.5.0.6.nmc3");
            Assert.Equal(21, name.Hardware);
            Assert.Equal(ApplicationType.SU, name.ApplicationType);
            Assert.Equal(FirmwareVersion.Parse("2.5.0.6"), name.Version);
        }

        [Theory]
        [InlineData("apc_hw21_rpdu2g_2.7.0.2.nmc3", ApplicationType.RPDU2G)]
        [InlineData("APC_HW21_SUCAN_3.0.1.0.NMC3", ApplicationType.SUCAN)]
        [InlineData("apc_hw21_emgpx_2.4.0.1.nmc3", ApplicationType.EMGPX)]
        [InlineData("/some/folder/apc_hw21_eu1p_2.5.0.1.nmc3", ApplicationType.EU1P)]
        public void Recognises_every_application_code_in_any_case_and_from_a_path(string file, ApplicationType expected)
        {
            Assert.True(FirmwarePackageName.TryParse(file, out var name, out var problem), problem);
            Assert.Equal(expected, name!.ApplicationType);
        }

        [Theory]
        [InlineData("apc_hw05_sumx_696.bin", "not an NMC3 firmware package name")]
        [InlineData("apc_hw21_zz_2.5.0.6.nmc3", "not one of the nine")]
        [InlineData("apc_hw21_su_2.5.0.6.nmc3.zip", "not an NMC3 firmware package name")]
        [InlineData("firmware.nmc3", "not an NMC3 firmware package name")]
        [InlineData("", "empty")]
        [InlineData("apc_hw05_su_6.9.6.1.nmc3", "NMC2 platform")]
        [InlineData("apc_hw22_su_2.9.0.2.nmc3", "not the NMC3 platform")]
        [InlineData("apc_hw21_su_2.9.nmc3", "not an NMC3 release version")]
        [InlineData("apc_hw21_su_0.0.0.0.nmc3", "not an NMC3 release version")]
        [InlineData("apc_hw21_su_2.9.0.2.1.nmc3", "not an NMC3 release version")]
        public void Refuses_other_names_with_a_specific_reason(string file, string reason)
        {
            Assert.False(FirmwarePackageName.TryParse(file, out _, out var problem));
            Assert.Contains(reason, problem);
        }

        [Fact]
        public void Format_round_trips()
        {
            var text = FirmwarePackageName.Format(21, ApplicationType.SYPX, FirmwareVersion.Parse("3.1.0.4"));
            Assert.Equal("apc_hw21_sypx_3.1.0.4.nmc3", text);
            Assert.Equal(ApplicationType.SYPX, FirmwarePackageName.Parse(text).ApplicationType);
        }
    }
}
