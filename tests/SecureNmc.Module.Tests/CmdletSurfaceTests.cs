using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>What PowerShell users expect of every cmdlet, read from the built assembly's metadata.</summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class CmdletSurfaceTests
    {
        /// <summary>Verbs whose cmdlets only read or compute; every other verb changes state and must support -WhatIf/-Confirm.</summary>
        private static readonly HashSet<string> ReadOnlyVerbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Get", "Test", "Find", "Search", "Show", "Format", "Measure", "Compare", "Resolve", "Select",
            "Trace", "Watch", "Wait", "Read", "ConvertFrom", "ConvertTo", "Out", "Receive", "Join", "Split", "Group",
        };

        /// <summary>
        /// Cmdlets whose verb usually changes state but which touch nothing: each entry says why.
        /// Keep this list short; a cmdlet that writes a file, the inventory or a card does not belong here.
        /// </summary>
        private static readonly Dictionary<string, string> PureCmdlets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["New-NmcDevice"] = "builds an in-memory device object for the pipeline; saves nothing.",
        };

        private readonly BuiltModule _module;

        public CmdletSurfaceTests(BuiltModule module) => _module = module;

        [Fact]
        public void The_assembly_defines_cmdlets() => Assert.NotEmpty(_module.Cmdlets);

        [Fact]
        public void Every_cmdlet_uses_an_approved_verb_and_the_Nmc_noun_prefix()
        {
            var approved = _module.ApprovedVerbs();
            Assert.Contains("Get", approved);
            Assert.True(approved.Count > 80, $"only {approved.Count} approved verbs read from the SDK: the Verbs* classes were not found.");
            foreach (var cmdlet in _module.Cmdlets)
            {
                Assert.True(approved.Contains(cmdlet.Verb), $"{cmdlet.Name}: '{cmdlet.Verb}' is not an approved PowerShell verb.");
                Assert.True(cmdlet.Noun.StartsWith("Nmc", StringComparison.Ordinal), $"{cmdlet.Name}: nouns carry the module prefix 'Nmc'.");
                Assert.False(cmdlet.Noun.EndsWith("s", StringComparison.Ordinal) && !new[] { "ss", "us", "is" }.Any(e => cmdlet.Noun.EndsWith(e, StringComparison.Ordinal)),
                    $"{cmdlet.Name}: nouns are singular.");
            }
        }

        [Fact]
        public void Every_cmdlet_class_is_sealed_and_named_after_its_cmdlet()
        {
            foreach (var cmdlet in _module.Cmdlets)
            {
                Assert.True(cmdlet.Type.IsSealed, $"{cmdlet.Type.Name} ({cmdlet.Name}) must be sealed.");
                Assert.Equal(cmdlet.Verb + cmdlet.Noun + "Command", cmdlet.Type.Name);
            }
        }

        [Fact]
        public void Every_cmdlet_declares_a_concrete_OutputType()
        {
            foreach (var cmdlet in _module.Cmdlets)
            {
                Assert.True(cmdlet.OutputTypes.Count > 0, $"{cmdlet.Name} has no [OutputType].");
                Assert.DoesNotContain(cmdlet.OutputTypes, t => t == "System.Object" || t == "System.Management.Automation.PSObject");
            }
        }

        [Fact]
        public void Every_state_changing_cmdlet_supports_ShouldProcess()
        {
            foreach (var cmdlet in _module.Cmdlets.Where(c => !ReadOnlyVerbs.Contains(c.Verb) && !PureCmdlets.ContainsKey(c.Name)))
                Assert.True(cmdlet.SupportsShouldProcess, $"{cmdlet.Name} changes state but lacks SupportsShouldProcess = true.");
        }

        [Fact]
        public void Remove_cmdlets_ask_for_confirmation_at_medium_impact_or_higher()
        {
            foreach (var cmdlet in _module.Cmdlets.Where(c => c.Verb == "Remove"))
                Assert.True(cmdlet.ConfirmImpact >= 2, $"{cmdlet.Name}: ConfirmImpact must be Medium or High.");
        }

        [Fact]
        public void No_parameter_takes_a_password_or_secret_as_plain_text()
        {
            foreach (var cmdlet in _module.Cmdlets)
            foreach (var p in cmdlet.Parameters)
            {
                var names = p.Aliases.Append(p.Name);
                if (names.Any(n => n.IndexOf("Password", StringComparison.OrdinalIgnoreCase) >= 0 ||
                                   n.IndexOf("Secret", StringComparison.OrdinalIgnoreCase) >= 0 ||
                                   n.IndexOf("Token", StringComparison.OrdinalIgnoreCase) >= 0))
                    Assert.True(p.TypeName == "System.Security.SecureString" || p.TypeName == "System.Management.Automation.PSCredential",
                        $"{cmdlet.Name} {p}: a secret must be a SecureString or PSCredential, not {p.TypeName}.");
                if (p.Name.EndsWith("Credential", StringComparison.OrdinalIgnoreCase) && p.TypeName != "System.Management.Automation.SwitchParameter")
                    Assert.True(p.TypeName == "System.Management.Automation.PSCredential", $"{cmdlet.Name} {p} must be a [PSCredential].");
            }
        }

        [Theory]
        [InlineData("Host", "HostName", "IPAddress", "IP", "Address")]
        [InlineData("Name")]
        [InlineData("Protocol")]
        [InlineData("Port")]
        [InlineData("UserName")]
        public void Add_NmcDevice_binds_CSV_columns_by_property_name(string parameter, params string[] aliases)
        {
            // So that `Import-Csv fleet.csv | Add-NmcDevice -Credential $cred` works with the headers people use.
            var add = _module.Cmdlets.Single(c => c.Name == "Add-NmcDevice");
            var p = add.Parameter(parameter);
            Assert.True(p.ValueFromPipelineByPropertyName, $"Add-NmcDevice {p} must take ValueFromPipelineByPropertyName.");
            foreach (var alias in aliases)
                Assert.Contains(alias, p.Aliases);
        }

        [Fact]
        public void Add_and_New_NmcDevice_take_a_PSCredential()
        {
            foreach (var name in new[] { "Add-NmcDevice", "New-NmcDevice", "Set-NmcDevice" })
                Assert.Equal("System.Management.Automation.PSCredential", _module.Cmdlets.Single(c => c.Name == name).Parameter("Credential").TypeName);
        }

        [Fact]
        public void Add_NmcDevice_offers_PassThru()
        {
            var add = _module.Cmdlets.Single(c => c.Name == "Add-NmcDevice");
            Assert.Equal("System.Management.Automation.SwitchParameter", add.Parameter("PassThru").TypeName);
        }

        [Fact]
        public void Parameters_naming_devices_complete_device_names()
        {
            // Tab completion of device names wherever a device is named by a string or PipeBind.
            var naming = _module.Cmdlets.SelectMany(c => c.Parameters.Select(p => (c, p)))
                .Where(x => x.p.Name == "Name" && x.c.Noun == "NmcDevice" && x.c.Verb != "Add" && x.c.Verb != "New" && x.c.Verb != "Import" ||
                            x.p.TypeName.StartsWith("SecureNmc.PowerShell.NmcDevicePipeBind", StringComparison.Ordinal))
                .ToList();
            Assert.NotEmpty(naming);
            foreach (var (c, p) in naming)
                Assert.True(p.HasArgumentCompleter, $"{c.Name} {p} names devices but has no [ArgumentCompleter].");
        }

        [Fact]
        public void Device_cmdlets_accept_devices_from_the_pipeline()
        {
            // Output objects pipe into the next cmdlet: Get-NmcDevice | Set-NmcDevice / Remove-NmcDevice.
            foreach (var name in new[] { "Set-NmcDevice", "Remove-NmcDevice" })
            {
                var cmdlet = _module.Cmdlets.Single(c => c.Name == name);
                Assert.Contains(cmdlet.Parameters, p => p.ValueFromPipeline && p.TypeName.StartsWith("SecureNmc.PowerShell.NmcDevicePipeBind", StringComparison.Ordinal));
            }
        }

        [Fact]
        public void Invoke_NmcFirmwareUpdate_flashes_only_after_a_high_impact_confirmation_and_offers_WhatIf_AsJob_ThrottleLimit_Force()
        {
            // A flash reboots the card: ConfirmImpact High (prompts by default), -Force to skip the prompt,
            // -WhatIf for the plan, -AsJob for a PowerShell job, -ThrottleLimit for concurrency.
            var invoke = _module.Cmdlets.Single(c => c.Name == "Invoke-NmcFirmwareUpdate");
            Assert.True(invoke.SupportsShouldProcess, "Invoke-NmcFirmwareUpdate must support -WhatIf/-Confirm.");
            Assert.Equal(3, invoke.ConfirmImpact);
            Assert.Equal("System.Management.Automation.SwitchParameter", invoke.Parameter("AsJob").TypeName);
            Assert.Equal("System.Management.Automation.SwitchParameter", invoke.Parameter("Force").TypeName);
            Assert.Equal("System.Int32", invoke.Parameter("ThrottleLimit").TypeName);
            Assert.Contains(invoke.Parameters, p => p.ValueFromPipeline && p.TypeName.StartsWith("SecureNmc.PowerShell.NmcDevicePipeBind", StringComparison.Ordinal));
            // Changing the application type resets the card: its own switch, in its own parameter set, mandatory there.
            var change = invoke.Parameter("ChangeApplicationType");
            Assert.True(change.Mandatory);
            Assert.Equal(new[] { "ChangeApplicationType" }, change.ParameterSets);
            Assert.Equal(new[] { "ChangeApplicationType" }, invoke.Parameter("ApplicationType").ParameterSets);
        }

        [Fact]
        public void Firmware_cmdlets_that_change_state_support_ShouldProcess_and_Clear_cache_is_high_impact()
        {
            foreach (var name in new[] { "Import-NmcFirmware", "Save-NmcFirmware", "Clear-NmcFirmwareCache", "Stop-NmcFirmwareUpdate", "Invoke-NmcFirmwareUpdate" })
                Assert.True(_module.Cmdlets.Single(c => c.Name == name).SupportsShouldProcess, $"{name} lacks SupportsShouldProcess.");
            Assert.Equal(3, _module.Cmdlets.Single(c => c.Name == "Clear-NmcFirmwareCache").ConfirmImpact);
        }

        [Fact]
        public void The_AsJob_job_is_a_Job2_with_a_JobSourceAdapter()
        {
            var assembly = _module.Cmdlets.First().Type.Assembly;
            var job = assembly.GetType("SecureNmc.PowerShell.Infrastructure.FirmwareUpdateJob", throwOnError: true)!;
            var adapter = assembly.GetType("SecureNmc.PowerShell.Infrastructure.FirmwareUpdateJobSourceAdapter", throwOnError: true)!;
            Assert.Equal("System.Management.Automation.Job2", job.BaseType!.FullName);
            Assert.Equal("System.Management.Automation.JobSourceAdapter", adapter.BaseType!.FullName);
        }
    }
}
