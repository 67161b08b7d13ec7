using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Tests.CardFiles
{
    public class CardIdentityBuilderTests
    {
        [Fact]
        public void Merges_every_source_of_an_nmc3()
        {
            var id = CardIdentityBuilder.Build(
                ConfigIniParser.Parse(CardFileSamples.Nmc3ConfigIni),
                AboutOutputParser.Parse(CardFileSamples.Nmc3About),
                LoginBannerParser.Parse(CardFileSamples.Nmc3Banner),
                CardLogParser.ParseEventLog(CardFileSamples.Nmc3EventLog),
                CardLogParser.ParseDataLog(CardFileSamples.Nmc3DataLog));
            Assert.Equal(NmcGeneration.Nmc3, id.Generation);
            Assert.True(id.IsSupported);
            Assert.Null(id.UnsupportedReason);
            Assert.Equal("AP9641", id.Model);
            Assert.Equal("ZA2045001234", id.SerialNumber);
            Assert.Equal("28:29:86:0A:0B:0C", id.MacAddress);
            Assert.Equal("5", id.HardwareRevision);
            Assert.Equal("hw21", id.HardwareCode);
            Assert.Equal(ApplicationType.SU, id.ApplicationType);
            Assert.Equal("2.5.0.8", id.AosVersion);
            Assert.Equal("2.5.0.6", id.ApplicationVersion);
            Assert.Equal("1.5.1.1", id.BootloaderVersion);
            Assert.Equal("UPS Rack 12", id.SystemName);
            Assert.Equal("ups-rack-12", id.HostName);
            Assert.Equal("Smart-UPS X 3000", id.DeviceModel);
            Assert.Equal("01/21/2026 16:05:00", id.LastFirmwareUpdateEvent);
            Assert.Equal(5, id.Sources.Count);
        }

        [Fact]
        public void Config_ini_alone_identifies_an_nmc3_by_its_aos_version_and_application_name()
        {
            var id = CardIdentityBuilder.Build(ConfigIniParser.Parse(CardFileSamples.Nmc3ConfigIni));
            Assert.Equal(NmcGeneration.Nmc3, id.Generation);
            Assert.Equal(ApplicationType.SU, id.ApplicationType);
            Assert.Equal("28:29:86:0A:0B:0C", id.MacAddress); // from Override
            Assert.Null(id.Model);
            Assert.Null(id.BootloaderVersion);
        }

        [Fact]
        public void An_nmc2_is_recognised_and_explained_as_not_supported()
        {
            var id = CardIdentityBuilder.Build(ConfigIniParser.Parse(CardFileSamples.Nmc2ConfigIni), AboutOutputParser.Parse(CardFileSamples.Nmc2About));
            Assert.Equal(NmcGeneration.Nmc2, id.Generation);
            Assert.False(id.IsSupported);
            Assert.Equal("hw05", id.HardwareCode);
            Assert.Null(id.ApplicationType);
            Assert.Equal("sumx", id.ApplicationCode);
            Assert.Contains("Network Management Card 2", id.UnsupportedReason);
            Assert.Contains("AP9631", id.UnsupportedReason);
            Assert.Contains("only updates NMC3", id.UnsupportedReason);
        }

        [Fact]
        public void An_nmc2_config_ini_alone_is_recognised_by_its_aos_version()
        {
            var id = CardIdentityBuilder.Build(ConfigIniParser.Parse(CardFileSamples.Nmc2ConfigIni));
            Assert.Equal(NmcGeneration.Nmc2, id.Generation);
        }

        [Fact]
        public void Without_any_version_the_generation_is_unknown_with_a_reason()
        {
            var id = CardIdentityBuilder.Build(ConfigIniParser.Parse("[SystemID]\nName=x\n"));
            Assert.Equal(NmcGeneration.Unknown, id.Generation);
            Assert.False(id.IsSupported);
            Assert.Contains("did not say", id.UnsupportedReason);
        }

        [Fact]
        public void Every_printed_application_name_maps_back_to_its_type()
        {
            foreach (var (type, name) in ApplicationHeaderNames.AllNames())
            {
                Assert.True(ApplicationHeaderNames.TryParse(name, out var parsed), name);
                Assert.Equal(type, parsed);
            }
            foreach (var info in ApplicationTypeInfo.All)
            {
                Assert.True(ApplicationHeaderNames.TryParse(ApplicationHeaderNames.For(info.Type), out var parsed));
                Assert.Equal(info.Type, parsed);
            }
        }
    }
}
