using System;
using System.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// Issue 4's pipelines, checked from metadata: `Start-NmcSimulator | Add-NmcDevice` binds every
    /// device field and the credential by property name, `$cards | Stop-NmcSimulator` finds the
    /// fleet, and the query cmdlets have the switches the walkthrough uses.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class SimulatorPipelineSurfaceTests
    {
        private const string CardType = "SecureNmc.PowerShell.Simulation.NmcSimulatedCard";
        private readonly BuiltModule _module;

        public SimulatorPipelineSurfaceTests(BuiltModule module) => _module = module;

        private Type Card => _module.LoadModuleAssembly("SecureNmc.PowerShell").GetType(CardType, throwOnError: true)!;

        [Fact]
        public void Add_NmcDevice_has_no_default_parameter_set_so_a_piped_device_object_binds_as_a_whole()
        {
            // With a default set, PowerShell binds a piped NmcDevice by property name to -Host, -Port...
            // (a new device: new id, no encrypted credential) instead of by value to -InputObject.
            var add = _module.Cmdlets.Single(c => c.Name == "Add-NmcDevice");
            Assert.Null(add.DefaultParameterSetName);
            Assert.True(add.Parameter("InputObject").ValueFromPipeline);
        }

        [Fact]
        public void Start_NmcSimulator_emits_simulated_cards()
        {
            var start = _module.Cmdlets.Single(c => c.Name == "Start-NmcSimulator");
            Assert.Equal(new[] { CardType }, start.OutputTypes);
        }

        [Theory]
        [InlineData("Host", "System.String")]
        [InlineData("Name", "System.String")]
        [InlineData("Protocol", "System.String")]
        [InlineData("Port", "System.Int32")]
        [InlineData("UserName", "System.String")]
        [InlineData("Credential", "System.Management.Automation.PSCredential")]
        public void Every_field_Add_NmcDevice_needs_comes_from_a_simulated_card_by_property_name(string name, string cardPropertyType)
        {
            var add = _module.Cmdlets.Single(c => c.Name == "Add-NmcDevice");
            var parameter = add.Parameter(name);
            Assert.True(parameter.ValueFromPipelineByPropertyName, $"Add-NmcDevice -{name} must bind by property name for Start-NmcSimulator | Add-NmcDevice.");
            var property = Card.GetProperty(name);
            Assert.True(property != null, $"{CardType} lacks the {name} property Add-NmcDevice binds.");
            Assert.Equal(cardPropertyType, property!.PropertyType.FullName);
        }

        [Fact]
        public void No_card_property_competes_with_Host_through_an_alias()
        {
            // Two properties matching one parameter (Host and, say, IPAddress) would make binding ambiguous.
            var add = _module.Cmdlets.Single(c => c.Name == "Add-NmcDevice");
            foreach (var p in add.Parameters.Where(p => p.ValueFromPipelineByPropertyName))
                foreach (var alias in p.Aliases)
                    Assert.True(Card.GetProperty(alias) == null, $"{CardType}.{alias} would also bind Add-NmcDevice -{p.Name}.");
        }

        [Fact]
        public void Card_objects_pipe_into_Stop_NmcSimulator_through_their_Simulator_property()
        {
            var stop = _module.Cmdlets.Single(c => c.Name == "Stop-NmcSimulator");
            var parameter = stop.Parameter("Simulator");
            Assert.True(parameter.ValueFromPipelineByPropertyName);
            Assert.True(parameter.ValueFromPipeline);
            var handle = Card.GetProperty("Simulator")!.PropertyType;
            Assert.Equal(handle.FullName + "[]", parameter.TypeName);
            Assert.Equal("All", stop.DefaultParameterSetName); // no argument: every fleet of the session
        }

        [Fact]
        public void Add_NmcDevice_can_skip_the_query_and_Update_NmcDevice_refreshes_all_when_no_device_is_named()
        {
            var add = _module.Cmdlets.Single(c => c.Name == "Add-NmcDevice");
            Assert.Equal("System.Management.Automation.SwitchParameter", add.Parameter("SkipQuery").TypeName);
            var update = _module.Cmdlets.Single(c => c.Name == "Update-NmcDevice");
            var device = update.Parameter("Device");
            Assert.False(device.Mandatory);
            Assert.True(device.ValueFromPipeline);
            Assert.Equal("System.Management.Automation.SwitchParameter", update.Parameter("PassThru").TypeName);
        }

        [Fact]
        public void Open_NmcWebUI_returns_the_address_with_PassThru()
        {
            var open = _module.Cmdlets.Single(c => c.Name == "Open-NmcWebUI");
            Assert.Equal(new[] { "System.Uri" }, open.OutputTypes);
            Assert.True(open.SupportsShouldProcess);
            Assert.Equal("System.Management.Automation.SwitchParameter", open.Parameter("PassThru").TypeName);
        }
    }
}
