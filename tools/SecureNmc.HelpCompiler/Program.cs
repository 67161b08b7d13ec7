using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace SecureNmc.HelpCompiler
{
    /// <summary>
    /// Usage: SecureNmc.HelpCompiler &lt;folder of cmdlet .md files&gt; &lt;output -Help.xml path&gt;.
    /// Exit code 0 on success; 1 with "file(line): problem" lines (MSBuild shows them as errors) otherwise.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: SecureNmc.HelpCompiler <markdown folder> <output MAML file>");
                return 2;
            }
            var (inputDir, outputPath) = (args[0], args[1]);
            if (!Directory.Exists(inputDir))
            {
                Console.Error.WriteLine($"error: help folder '{inputDir}' does not exist.");
                return 1;
            }

            var cmdlets = new List<CmdletHelp>();
            var errors = new List<string>();
            foreach (var file in Directory.GetFiles(inputDir, "*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                try { cmdlets.Add(MarkdownHelpParser.ParseFile(file)); }
                catch (HelpFormatException ex) { errors.Add(Path.Combine(inputDir, ex.Message)); }
            }
            foreach (var dup in cmdlets.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                errors.Add($"{inputDir}: {dup.Key} is documented in more than one file.");
            if (cmdlets.Count == 0 && errors.Count == 0)
                errors.Add($"{inputDir}: no cmdlet help (*.md) found.");

            if (errors.Count > 0)
            {
                foreach (var e in errors) Console.Error.WriteLine($"error: {e}");
                return 1;
            }

            var document = MamlWriter.Write(cmdlets);
            var xml = document.Declaration + Environment.NewLine + document.Root;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            // Rewrite only on change so incremental builds and file watchers stay quiet.
            if (!File.Exists(outputPath) || File.ReadAllText(outputPath) != xml)
                File.WriteAllText(outputPath, xml, new UTF8Encoding(false));
            Console.WriteLine($"SecureNmc.HelpCompiler: {cmdlets.Count} cmdlet(s) -> {outputPath}");
            return 0;
        }
    }
}
