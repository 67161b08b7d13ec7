using System;
using System.Linq;
using System.Xml.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>The subscription cmdlets as users script them: secrets only as SecureString/PSCredential, CSV-friendly activation, the subscription table.</summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class LicensingSurfaceTests
    {
        private readonly BuiltModule _module;

        public LicensingSurfaceTests(BuiltModule module) => _module = module;

        private CmdletInfo Cmdlet(string name) => _module.Cmdlets.Single(c => c.Name == name);

        [Fact]
        public void Connect_NmcAccount_takes_a_PSCredential_or_a_SecureString_token_in_separate_sets()
        {
            var connect = Cmdlet("Connect-NmcAccount");
            var credential = connect.Parameters.Single(p => p.Name == "Credential");
            var token = connect.Parameters.Single(p => p.Name == "Token");
            Assert.Equal("System.Management.Automation.PSCredential", credential.TypeName);
            Assert.Equal("System.Security.SecureString", token.TypeName);
            Assert.True(credential.Mandatory && token.Mandatory);
            Assert.Empty(credential.ParameterSets.Intersect(token.ParameterSets));
            Assert.Contains(connect.Parameters, p => p.Name == "StaySignedIn" && p.ShortTypeName == "SwitchParameter");
            Assert.Equal("SecureNmc.Core.Licensing.AccountInfo", Assert.Single(connect.OutputTypes));
        }

        [Theory]
        [InlineData("Enable-NmcSubscription")]
        [InlineData("Export-NmcActivationRequest")]
        public void Activation_cmdlets_bind_Name_and_ActivationId_columns_so_Import_Csv_pipes_in(string name)
        {
            var cmdlet = Cmdlet(name);
            var device = cmdlet.Parameters.Single(p => p.Name == "Device");
            Assert.True(device.ValueFromPipeline && device.ValueFromPipelineByPropertyName);
            Assert.Contains("Name", device.Aliases);
            var id = cmdlet.Parameters.Single(p => p.Name == "ActivationId");
            Assert.True(id.ValueFromPipelineByPropertyName);
            Assert.False(id.Mandatory); // no ID = the included subscription
            Assert.True(cmdlet.SupportsShouldProcess);
        }

        [Fact]
        public void Get_NmcSubscription_reads_only_and_takes_devices_from_the_pipeline()
        {
            var get = Cmdlet("Get-NmcSubscription");
            Assert.False(get.SupportsShouldProcess);
            Assert.Contains(get.Parameters, p => p.Name == "Device" && p.ValueFromPipeline && !p.Mandatory);
            Assert.Equal("SecureNmc.Core.Licensing.SubscriptionStatus", Assert.Single(get.OutputTypes));
        }

        [Fact]
        public void Subscription_table_shows_family_term_dates_days_left_and_state()
        {
            var table = _module.LoadFormat().Descendants("View")
                .Single(v => v.Element("TableControl") != null && v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == "SecureNmc.Core.Licensing.SubscriptionStatus");
            var labels = table.Descendants("TableColumnHeader").Select(h => h.Element("Label")!.Value).ToList();
            foreach (var expected in new[] { "DeviceName", "Family", "TermYears", "ActivatedOn", "ExpiresOn", "DaysLeft", "State" })
                Assert.Contains(expected, labels);
        }

        [Fact]
        public void Settings_cmdlet_offers_the_licensing_settings_as_plain_text_parameters()
        {
            // The service key is a public key: text, not a secret. Nothing named like a secret takes plain text.
            var set = Cmdlet("Set-NmcSetting");
            Assert.Contains(set.Parameters, p => p.Name == "LicensingEndpoint" && p.TypeName == "System.String");
            Assert.Contains(set.Parameters, p => p.Name == "LicensingServiceKey" && p.TypeName == "System.String");
        }
    }
}
