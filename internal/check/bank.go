package check

import (
	"strings"
	"unicode/utf8"

	"github.com/payoke/site/internal/siteconfig"
)

// maxHolder is the longest beneficiary name an EPC QR code carries (EPC069-12).
const maxHolder = 70

// checkBankTransfer: the account for gifts by bank transfer
// (params.donation.iban, bic, accountHolder). Empty is a warning: the support
// page then says nothing about transfers. Once the IBAN is set, every page
// that shows it and its QR code must be right, so a wrong IBAN or BIC, or a
// missing account holder, is an error.
func checkBankTransfer(s *site, rep *Report) {
	d := s.donation
	ibanLine := configLine(s.root, "iban")
	if strings.TrimSpace(d.IBAN) == "" {
		rep.warnf(configFile, ibanLine, "the bank account for gifts by transfer is empty, so the support page does not mention transfers — when Payoke's account is known, add params.donation.iban (as on a bank statement, e.g. \"BE71 0961 2345 6769\"), bic and accountHolder")
		return
	}
	if problem := siteconfig.IBANProblem(d.IBAN); problem != "" {
		rep.errorf(configFile, ibanLine, "the account number (IBAN) for gifts by transfer in params.donation.iban: %s", problem)
	}
	bicLine := configLine(s.root, "bic")
	if strings.TrimSpace(d.BIC) == "" {
		rep.errorf(configFile, bicLine, "the IBAN for gifts by transfer is set but the bank's BIC is empty — add params.donation.bic, as on a bank statement (8 or 11 letters and digits, e.g. \"BANKBEBB\")")
	} else if problem := siteconfig.BICProblem(d.BIC); problem != "" {
		rep.errorf(configFile, bicLine, "the bank's code (BIC) for gifts by transfer in params.donation.bic: %s", problem)
	}
	holderLine := configLine(s.root, "accountHolder")
	switch holder := strings.TrimSpace(d.AccountHolder); {
	case holder == "":
		rep.errorf(configFile, holderLine, "the IBAN for gifts by transfer is set but the account holder is empty — add params.donation.accountHolder, the name exactly as the bank knows it, so donors' banks can check it")
	case utf8.RuneCountInString(holder) > maxHolder:
		rep.errorf(configFile, holderLine, "the account holder in params.donation.accountHolder has %d characters; the QR code for banking apps holds at most %d — write the name as the bank shortens it", utf8.RuneCountInString(holder), maxHolder)
	}
}
