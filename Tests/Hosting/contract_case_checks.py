"""The contract's table of cases (docs/site-contract.json), against the server under check:
the same table `serve`'s router answers in-process in the Swift unit tests."""

import contract
import hosting_test_case
import support


class ContractCaseTests(hosting_test_case.HostingTestCase):
    def test_every_case_of_the_contract(self):
        values = contract.bindings(self.site, support.gravatar_hashes)
        checked = 0
        for target, case in contract.cases(self.target.prefixes, values, aliases=self.target.expect_aliases,
                                           gravatar=self.target.expect_gravatar):
            with self.subTest(target=target):
                response = self.get(target)
                self.assertEqual(response.status, case["status"], f"{target}: {response}")
                if case.get("file"):
                    expected = (self.site.folder / contract.expand(case["file"], values)).read_bytes()
                    self.assertEqual(response.body, expected, f"{target}: not the bytes of {case['file']}")
                if case.get("type"):
                    self.assertEqual(response.media_type, case["type"], target)
                checked += 1
        self.assertGreater(checked, len(contract.CASES) // 2, "most cases were left out")
