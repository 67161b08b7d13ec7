using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// Every -Path has a -LiteralPath twin the way Get-Content and Import-Csv have it: its own parameter
    /// set, the PSPath and LP aliases (so Get-ChildItem output binds literally and a name with [ ] is
    /// never read as a pattern), and the same mandatory/pipeline shape as -Path.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class PathParameterTests
    {
        private readonly BuiltModule _module;

        public PathParameterTests(BuiltModule module) { _module = module; }

        public static IEnumerable<object[]> CmdletsWithPath()
        {
            using var module = new BuiltModule();
            return module.Cmdlets.Where(c => c.Parameters.Any(p => p.Name == "Path")).Select(c => new object[] { c.Name }).ToList();
        }

        [Fact]
        public void The_file_cmdlets_take_Path()
        {
            var names = CmdletsWithPath().Select(r => (string)r[0]).ToList();
            foreach (var expected in new[] { "Import-NmcDevice", "Import-NmcFirmware", "Import-NmcBundle", "Export-NmcBundle", "Import-NmcActivationResponse",
                                             "Export-NmcActivationRequest", "Submit-NmcActivationRequest", "Save-NmcFirmware" })
                Assert.Contains(expected, names);
        }

        [Theory]
        [MemberData(nameof(CmdletsWithPath))]
        public void Path_has_a_LiteralPath_twin_in_its_own_parameter_set(string cmdletName)
        {
            var cmdlet = _module.Cmdlets.Single(c => c.Name == cmdletName);
            var path = cmdlet.Parameter("Path");
            var literal = cmdlet.Parameters.SingleOrDefault(p => p.Name == "LiteralPath");
            Assert.True(literal != null, $"{cmdletName} has -Path but no -LiteralPath.");
            Assert.Equal(path.TypeName, literal!.TypeName);
            Assert.Equal(path.Mandatory, literal.Mandatory);
            Assert.Empty(path.ParameterSets.Intersect(literal.ParameterSets));
            Assert.DoesNotContain("__AllParameterSets", path.ParameterSets.Concat(literal.ParameterSets));
            Assert.Equal("Path", cmdlet.DefaultParameterSetName);
            Assert.Contains("PSPath", literal.Aliases);
            Assert.Contains("LP", literal.Aliases);
            Assert.DoesNotContain("PSPath", path.Aliases, StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain("FullName", path.Aliases, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(path.ValueFromPipelineByPropertyName, literal.ValueFromPipelineByPropertyName);
            Assert.Null(literal.Position);
        }
    }
}
